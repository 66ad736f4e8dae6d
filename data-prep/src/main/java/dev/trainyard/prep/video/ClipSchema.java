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

    /** What each column holds, for docs/data-schemas.md. */
    public static final java.util.Map<String, String> DESCRIPTIONS = java.util.Map.ofEntries(
            java.util.Map.entry("video_id", "the video's id from the annotations (one video gives `num_clips` rows)"),
            java.util.Map.entry("source_path", "the video file or frame folder it was decoded from"),
            java.util.Map.entry("label", "the class name from the annotations"),
            java.util.Map.entry("label_index", "the class's index in the dataset's class list (0-based)"),
            java.util.Map.entry("split", "the annotation's split (Kinetics CSV), or `--split`; `unsplit` for an mmaction list without `--split`"),
            java.util.Map.entry("clip_index", "which clip of the video this row is (0-based)"),
            java.util.Map.entry("num_clips", "how many clips were sampled from the video"),
            java.util.Map.entry("source_fps", "the source's frame rate"),
            java.util.Map.entry("source_frames", "the number of frames the source holds"),
            java.util.Map.entry("frame_indices", "the source frame each sampled frame came from"),
            java.util.Map.entry("height", "frame height in pixels after resizing"),
            java.util.Map.entry("width", "frame width in pixels after resizing"),
            java.util.Map.entry("encoding", "`" + RAW + "` (height*width*3 bytes per frame, rows top to bottom, R,G,B) or `" + JPEG + "`"),
            java.util.Map.entry("frames", "one element per sampled frame, in `encoding`"));

    private ClipSchema() {
    }

    private static StructField f(String name, org.apache.spark.sql.types.DataType t, boolean nullable) {
        return new StructField(name, t, nullable, Metadata.empty());
    }
}
