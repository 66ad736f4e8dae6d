package dev.trainyard.prep.images;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Prepared labelled images, schema version 1: {@code pixels} is height*width unsigned bytes, row by row. */
public final class ImageSchema {
    public static final int VERSION = 1;
    public static final String DATASET_KIND = "labelled-images";
    public static final StructType STRUCT = new StructType(new StructField[]{
            new StructField("source_file", DataTypes.StringType, false, Metadata.empty()),
            new StructField("index", DataTypes.LongType, false, Metadata.empty()),
            new StructField("split", DataTypes.StringType, false, Metadata.empty()),
            new StructField("label", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("height", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("width", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("pixels", DataTypes.BinaryType, false, Metadata.empty()),
    });

    /** What each column holds, for docs/data-schemas.md. */
    public static final java.util.Map<String, String> DESCRIPTIONS = java.util.Map.of(
            "source_file", "the IDX image file the record was read from",
            "index", "the record's position in that file (0-based)",
            "split", "the `--split` given for the files, or `dev` for the seeded `--dev-fraction` share",
            "label", "the class from the IDX label file",
            "height", "rows of pixels",
            "width", "columns of pixels",
            "pixels", "height*width unsigned bytes, row by row");

    private ImageSchema() {
    }
}
