package dev.trainyard.prep.common;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The quarantine table every prep job writes: one row per rejected record, with the reason. */
public final class QuarantineSchema {
    public static final int VERSION = 1;
    public static final String REASON = "reason";
    public static final StructType STRUCT = new StructType(new StructField[]{
            new StructField("source_file", DataTypes.StringType, false, Metadata.empty()),
            new StructField("source_row", DataTypes.LongType, false, Metadata.empty()),
            new StructField(REASON, DataTypes.StringType, false, Metadata.empty()),
            new StructField("detail", DataTypes.StringType, true, Metadata.empty()),
            new StructField("raw", DataTypes.StringType, true, Metadata.empty()),
    });

    private QuarantineSchema() {
    }
}
