package dev.trainyard.prep.video;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Columns of the prepared clip dataset, schema version 1. {@code frames} holds one element per
 * sampled frame: with encoding {@code raw-rgb24} each is height*width*3 bytes, rows top to bottom,
 * pixels left to right, R,G,B; with {@code jpeg} each is a JPEG of that frame.
 */
public final class ClipSchema {
    public static final int VERSION = 1;
    public static final String DATASET_KIND = "video-clips";
    public static final String RAW = "raw-rgb24";
    public static final String JPEG = "jpeg";

    public static final StructType STRUCT = new StructType(new StructField[]{
            f("video_id", DataTypes.StringType, false),
            f("source_path", DataTypes.StringType, false),
            f("label", DataTypes.StringType, false),
            f("label_index", DataTypes.IntegerType, false),
            f("split", DataTypes.StringType, false),
            f("clip_index", DataTypes.IntegerType, false),
            f("num_clips", DataTypes.IntegerType, false),
            f("source_fps", DataTypes.DoubleType, false),
            f("source_frames", DataTypes.IntegerType, false),
            f("frame_indices", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            f("height", DataTypes.IntegerType, false),
            f("width", DataTypes.IntegerType, false),
            f("encoding", DataTypes.StringType, false),
            f("frames", DataTypes.createArrayType(DataTypes.BinaryType, false), false),
    });

    private ClipSchema() {
    }

    private static StructField f(String name, org.apache.spark.sql.types.DataType t, boolean nullable) {
        return new StructField(name, t, nullable, Metadata.empty());
    }
}
