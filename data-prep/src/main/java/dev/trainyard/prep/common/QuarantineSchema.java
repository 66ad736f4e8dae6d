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

    /** What each column holds, for docs/data-schemas.md. */
    public static final java.util.Map<String, String> DESCRIPTIONS = java.util.Map.of(
            "source_file", "the input file the rejected record came from",
            "source_row", "its row (line, record or image number) in that file",
            REASON, "why it was rejected, one short name per cause",
            "detail", "the specifics (expected and found values, sizes, the offending path)",
            "raw", "the record as read (text lines; base64 of the bytes when they are not valid UTF-8), where there is one");

    private QuarantineSchema() {
    }
}
