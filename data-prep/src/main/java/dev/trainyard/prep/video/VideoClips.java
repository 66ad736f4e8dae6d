package dev.trainyard.prep.video;

import dev.trainyard.prep.common.QuarantineSchema;
import dev.trainyard.prep.common.Storage;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Videos decoded into clips exactly as {@code prep video} decodes them, for callers other than prep (prediction):
 * the clips as {@link ClipSchema} rows and every video that gave none as a quarantine row with its reason.
 */
public final class VideoClips {
    /** File name endings read as videos when a folder is listed (any container FFmpeg decodes may be listed explicitly). */
    public static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "avi", "mkv", "webm", "mov", "m4v", "mpg", "mpeg", "flv", "wmv");

    private VideoClips() {
    }

    /**
     * @param clips      one row per clip ({@link ClipSchema#STRUCT})
     * @param quarantine one row per video without clips ({@link QuarantineSchema#STRUCT})
     * @param videos     videos decoded (with clips or not)
     */
    public record Decoded(Dataset<Row> clips, Dataset<Row> quarantine, long videos) {
    }

    /** Unlabelled entries for the video files directly in {@code folder} (sorted), each its own id. */
    public static List<VideoEntry> folder(Storage storage, String folder) {
        List<VideoEntry> out = new ArrayList<>();
        long row = 0;
        String dir = Storage.stripSlash(folder);
        for (String name : storage.list(dir).stream().sorted().toList()) {
            String path = dir + "/" + name;
            int dot = name.lastIndexOf('.');
            if (dot > 0 && VIDEO_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                out.add(new VideoEntry(name.substring(0, dot), "", -1, "predict", dir, ++row, List.of(path), false, -1));
            }
        }
        return out;
    }

    /** Decodes {@code entries} on the executors with {@code cfg}'s sampler, geometry and encoding. The clips are cached. */
    public static Decoded decode(SparkSession spark, List<VideoEntry> entries, VideoPrepConfig cfg) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(1, Math.min(entries.size(), jsc.defaultParallelism() * 4));
        ClipExtractor extractor = new ClipExtractor(cfg);
        JavaRDD<VideoResult> results = jsc.parallelize(entries, slices).map(extractor::extract)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        long videos = results.count();
        Dataset<Row> clips = spark.createDataFrame(results.filter(VideoResult::ok).flatMap(r -> VideoPrepJob.toRows(r, cfg).iterator()),
                ClipSchema.STRUCT);
        Dataset<Row> quarantine = spark.createDataFrame(results.filter(r -> !r.ok()).map(r -> RowFactory.create(
                r.entry().annotationFile(), r.entry().annotationRow(), r.reason(), r.entry().videoId() + ": " + r.detail(), r.path())),
                QuarantineSchema.STRUCT);
        return new Decoded(clips, quarantine, videos);
    }
}
