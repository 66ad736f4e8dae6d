package dev.trainyard.prep.video;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Storage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Map;

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

    public static final String VIDEO_ID = "video_id";
    public static final String SOURCE_PATH = "source_path";
    public static final String LABEL = "label";
    public static final String LABEL_INDEX = "label_index";
    public static final String SPLIT = "split";
    public static final String CLIP_INDEX = "clip_index";
    public static final String NUM_CLIPS = "num_clips";
    public static final String SOURCE_FPS = "source_fps";
    public static final String SOURCE_FRAMES = "source_frames";
    public static final String FRAME_INDICES = "frame_indices";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String ENCODING = "encoding";
    public static final String FRAMES = "frames";

    public static final StructType STRUCT = new StructType(new StructField[]{
            f(VIDEO_ID, DataTypes.StringType, false),
            f(SOURCE_PATH, DataTypes.StringType, false),
            f(LABEL, DataTypes.StringType, false),
            f(LABEL_INDEX, DataTypes.IntegerType, false),
            f(SPLIT, DataTypes.StringType, false),
            f(CLIP_INDEX, DataTypes.IntegerType, false),
            f(NUM_CLIPS, DataTypes.IntegerType, false),
            f(SOURCE_FPS, DataTypes.DoubleType, false),
            f(SOURCE_FRAMES, DataTypes.IntegerType, false),
            f(FRAME_INDICES, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            f(HEIGHT, DataTypes.IntegerType, false),
            f(WIDTH, DataTypes.IntegerType, false),
            f(ENCODING, DataTypes.StringType, false),
            f(FRAMES, DataTypes.createArrayType(DataTypes.BinaryType, false), false),
    });

    /** What each column holds, for docs/data-schemas.md. */
    public static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(VIDEO_ID, "the video's id from the annotations (one video gives `num_clips` rows)"),
            Map.entry(SOURCE_PATH, "the video file or frame folder it was decoded from"),
            Map.entry(LABEL, "the class name from the annotations"),
            Map.entry(LABEL_INDEX, "the class's index in the dataset's class list (0-based)"),
            Map.entry(SPLIT, "the annotation's split (Kinetics CSV), or `--split`; `unsplit` for an mmaction list without `--split`"),
            Map.entry(CLIP_INDEX, "which clip of the video this row is (0-based)"),
            Map.entry(NUM_CLIPS, "how many clips were sampled from the video"),
            Map.entry(SOURCE_FPS, "the source's frame rate"),
            Map.entry(SOURCE_FRAMES, "the number of frames the source holds"),
            Map.entry(FRAME_INDICES, "the source frame each sampled frame came from"),
            Map.entry(HEIGHT, "frame height in pixels after resizing"),
            Map.entry(WIDTH, "frame width in pixels after resizing"),
            Map.entry(ENCODING, "`" + RAW + "` (height*width*3 bytes per frame, rows top to bottom, R,G,B) or `" + JPEG + "`"),
            Map.entry(FRAMES, "one element per sampled frame, in `encoding`"));

    /**
     * One clip row by name: prep writes rows through {@link #toRow()} and training reads them
     * through {@link #of(Row)}, so a column renamed here fails to compile on both sides.
     */
    public record Clip(String videoId, String sourcePath, String label, int labelIndex, String split, int clipIndex, int numClips,
                       double sourceFps, int sourceFrames, int[] frameIndices, int height, int width, String encoding, byte[][] frames) {
        /** The row in {@link #STRUCT}'s column order. */
        public Row toRow() {
            return RowFactory.create(videoId, sourcePath, label, labelIndex, split, clipIndex, numClips, sourceFps, sourceFrames,
                    frameIndices, height, width, encoding, frames);
        }

        /** The columns training uses (frames, their geometry and encoding, the label), by name. */
        public static Clip of(Row r) {
            java.util.List<byte[]> frames = r.getList(r.fieldIndex(FRAMES));
            return new Clip(r.getString(r.fieldIndex(VIDEO_ID)), null, null, r.getInt(r.fieldIndex(LABEL_INDEX)), null,
                    r.getInt(r.fieldIndex(CLIP_INDEX)), 0, 0, 0, null, r.getInt(r.fieldIndex(HEIGHT)), r.getInt(r.fieldIndex(WIDTH)),
                    r.getString(r.fieldIndex(ENCODING)), frames.toArray(new byte[0][]));
        }
    }

    /** What {@code prep video} records about a dataset (its {@code _dataset.json}), typed. */
    public record Meta(String dataset, int numClasses, int framesPerClip, int height, int width, Map<String, Long> clipsBySplit,
                       JsonNode json) {
        public long clips(String split) {
            return clipsBySplit.getOrDefault(split, 0L);
        }
    }

    /** Reads and checks a dataset's metadata: kind, schema version, and the fields readers use. */
    public static Meta meta(Storage storage, String dataset) {
        var json = DatasetMetadata.require(storage, dataset, DATASET_KIND, VERSION);
        var d = json.path("details");
        return new Meta(dataset, (int) DatasetMetadata.requireNumber(d, "num_classes", dataset),
                (int) DatasetMetadata.requireNumber(d, "frames_per_clip", dataset),
                (int) DatasetMetadata.requireNumber(d, "height", dataset),
                (int) DatasetMetadata.requireNumber(d, "width", dataset),
                DatasetMetadata.counts(d, "clips_by_split"), json);
    }

    /** One split, its columns checked against {@link #STRUCT}; call {@link #meta} first. */
    public static Dataset<Row> read(SparkSession spark, String dataset,
                                                                            String split) {
        return DatasetMetadata.readChecked(spark, dataset, split, DATASET_KIND, VERSION, STRUCT);
    }

    private ClipSchema() {
    }

    private static StructField f(String name, org.apache.spark.sql.types.DataType t, boolean nullable) {
        return new StructField(name, t, nullable, Metadata.empty());
    }
}
