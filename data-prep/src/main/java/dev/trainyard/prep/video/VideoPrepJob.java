package dev.trainyard.prep.video;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.JobContext;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.OutputDir;
import dev.trainyard.prep.common.OutputKind;
import dev.trainyard.prep.common.QuarantineSchema;
import dev.trainyard.prep.common.Storage;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/**
 * Videos or frame folders listed in an annotation file to a versioned Parquet dataset of clips.
 * The listing is parsed on the driver; decoding runs in executor tasks (a few videos per task),
 * each video streamed once for only the frames its clips need. Every listed video ends as clips or
 * as one quarantine row: listed = videos with clips + quarantined, checked and reported.
 */
public final class VideoPrepJob {
    private static final Logger LOG = LoggerFactory.getLogger(VideoPrepJob.class);

    private VideoPrepJob() {
    }

    public static ObjectNode run(SparkSession spark, VideoPrepConfig cfg) {
        JobContext job = JobContext.start(spark);
        JavaSparkContext jsc = job.jsc();
        Storage storage = job.storage();
        Map<String, String> inputs = new java.util.LinkedHashMap<>();
        inputs.put("--annotations", cfg.annotations());
        inputs.put("--root", cfg.root());
        inputs.put("--classes", cfg.classes());
        return OutputDir.write(storage, cfg.output(), cfg.overwrite(), OutputKind.DATASET, inputs,
                outDir -> write(spark, jsc, storage, cfg, outDir, job.startNanos()));
    }

    private static ObjectNode write(SparkSession spark, JavaSparkContext jsc, Storage storage, VideoPrepConfig cfg, String outDir,
                                    long t0) {
        storage.requireFile(cfg.classes());
        storage.requireFile(cfg.annotations());
        ClassList classes = ClassList.parse(cfg.classes(), lines(storage, cfg.classes()));
        Annotations.Parsed listing = Annotations.parse(cfg.annotations(), lines(storage, cfg.annotations()), cfg.format(),
                Storage.stripSlash(cfg.root()), classes, cfg.split(), cfg.allowOutsideRoot());
        LOG.info("{}: {} videos listed, {} annotation rows rejected", cfg.annotations(), listing.entries().size(), listing.rejected().size());

        JavaRDD<VideoResult> results = decode(jsc, listing, cfg);
        long decoded = results.count();
        ClipsWritten clips = writeClips(spark, results, cfg, outDir);
        Map<String, Long> perReason = writeQuarantine(spark, jsc, listing, results, outDir);
        long withClips = results.filter(VideoResult::ok).count();
        results.unpersist(true);

        long quarantined = perReason.values().stream().mapToLong(Long::longValue).sum();
        long listed = listing.rows();
        if (listed != withClips + quarantined || decoded != listing.entries().size()) {
            throw new IllegalStateException("counts do not reconcile: listed " + listed + " != videos with clips " + withClips
                    + " + quarantined " + quarantined);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        ObjectNode s = Json.object();
        s.put("job", "prep video");
        s.put("finished_at", Instant.now().toString());
        s.put("annotations", cfg.annotations());
        s.put("format", cfg.format().cliName());
        s.put("output", cfg.output());
        s.put("videos_listed", listed);
        s.put("videos_with_clips", withClips);
        s.put("videos_quarantined", quarantined);
        s.put("reconciled", true);
        s.put("clips_written", clips.total());
        s.set("clips_by_split", Json.MAPPER.valueToTree(clips.perSplit()));
        s.set("quarantined_by_reason", Json.MAPPER.valueToTree(perReason));
        s.put("frames_written", clips.frames());
        s.put("encoding", cfg.encoding());
        s.put("mean_bytes_per_clip", clips.meanBytes());
        s.set("sampler", Json.MAPPER.valueToTree(cfg.sampler()));
        s.set("geometry", Json.MAPPER.valueToTree(cfg.geometry()));
        s.put("seed", cfg.seed());
        s.put("seconds", secs);
        s.put("frames_per_second", clips.frames() / secs);
        storage.writeText(outDir + "/prep-summary.json", Json.write(s));
        DatasetMetadata.write(storage, outDir, ClipSchema.DATASET_KIND, ClipSchema.VERSION, metadata(cfg, classes, clips));
        LOG.info("prep video: {} listed, {} with clips, {} quarantined {}; {} clips {} in {} s ({} frames/s)", listed, withClips,
                quarantined, perReason, clips.total(), clips.perSplit(), String.format("%.1f", secs),
                String.format("%.0f", clips.frames() / secs));
        return s;
    }

    /** Decodes every listed video on the executors into its clips or a rejection; persisted, as later steps each read it. */
    private static JavaRDD<VideoResult> decode(JavaSparkContext jsc, Annotations.Parsed listing, VideoPrepConfig cfg) {
        int slices = Math.max(1, Math.min(listing.entries().size(), Math.max(jsc.defaultParallelism() * 4, listing.entries().size() / 8)));
        ClipExtractor extractor = new ClipExtractor(cfg);
        return jsc.parallelize(listing.entries(), slices).map(extractor::extract)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
    }

    /** What {@link #writeClips} wrote: clips per split, frames, mean encoded bytes per clip. */
    private record ClipsWritten(Map<String, Long> perSplit, long frames, double meanBytes) {
        long total() {
            return perSplit.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Writes the decoded clips, one folder per split. */
    private static ClipsWritten writeClips(SparkSession spark, JavaRDD<VideoResult> results, VideoPrepConfig cfg, String outDir) {
        JavaRDD<Row> clipRows = results.filter(VideoResult::ok).flatMap(r -> toRows(r, cfg).iterator());
        Dataset<Row> clips = spark.createDataFrame(clipRows, ClipSchema.STRUCT).persist(StorageLevel.MEMORY_AND_DISK_SER());
        Map<String, Long> perSplit = new TreeMap<>();
        for (Row r : clips.groupBy(ClipSchema.SPLIT).count().collectAsList()) {
            perSplit.put(r.getString(0), r.getLong(1));
        }
        for (String s : perSplit.keySet()) {
            clips.filter(col(ClipSchema.SPLIT).equalTo(s)).write().parquet(DatasetMetadata.splitDir(outDir, ClipSchema.VERSION, s));
        }
        Row bytes = clips.selectExpr("avg(aggregate(transform(" + ClipSchema.FRAMES + ", f -> length(f)), 0L, (a, b) -> a + b))",
                "sum(size(" + ClipSchema.FRAMES + "))").first();
        clips.unpersist(true);
        return new ClipsWritten(perSplit, bytes.isNullAt(1) ? 0 : bytes.getLong(1), bytes.isNullAt(0) ? 0 : bytes.getDouble(0));
    }

    /** Writes the rejected annotation rows and videos with their reasons; returns the count per reason. */
    private static Map<String, Long> writeQuarantine(SparkSession spark, JavaSparkContext jsc, Annotations.Parsed listing,
                                                     JavaRDD<VideoResult> results, String outDir) {
        List<Row> annotationRejects = new ArrayList<>();
        listing.rejected().forEach(r -> annotationRejects.add(RowFactory.create(r.file(), r.row(), r.reason(),
                (r.videoId() == null ? "" : r.videoId() + ": ") + r.detail(), null)));
        JavaRDD<Row> videoRejects = results.filter(r -> !r.ok()).map(r -> RowFactory.create(r.entry().annotationFile(),
                r.entry().annotationRow(), r.reason(), r.entry().videoId() + ": " + r.detail(), r.path()));
        Dataset<Row> quarantine = spark.createDataFrame(videoRejects.union(jsc.parallelize(annotationRejects, 1)), QuarantineSchema.STRUCT)
                .persist(StorageLevel.MEMORY_AND_DISK());
        quarantine.coalesce(1).write().parquet(outDir + "/quarantine");
        Map<String, Long> perReason = new TreeMap<>();
        for (Row r : quarantine.groupBy(QuarantineSchema.REASON).count().collectAsList()) {
            perReason.put(r.getString(0), r.getLong(1));
        }
        quarantine.unpersist(true);
        return perReason;
    }

    private static ObjectNode metadata(VideoPrepConfig cfg, ClassList classes, ClipsWritten clips) {
        ObjectNode meta = Json.object();
        meta.put("num_classes", classes.size());
        meta.put("classes_file", cfg.classes());
        meta.put("frames_per_clip", cfg.sampler().frames());
        meta.put("height", cfg.geometry().height());
        meta.put("width", cfg.geometry().width());
        meta.put("encoding", cfg.encoding());
        // how the clips were made, so a model trained on them samples new videos the same way (trainyard predict)
        meta.set("sampler", Json.MAPPER.valueToTree(cfg.sampler()));
        meta.set("geometry", Json.MAPPER.valueToTree(cfg.geometry()));
        meta.put("jpeg_quality", cfg.jpegQuality());
        meta.put("folder_fps", cfg.folderFps());
        meta.put("seed", cfg.seed());
        meta.set("clips_by_split", Json.MAPPER.valueToTree(clips.perSplit()));
        meta.put("created_at", Instant.now().toString());
        return meta;
    }

    private static List<String> lines(Storage storage, String path) {
        return List.of(storage.readText(path).split("\\r?\\n", -1));
    }


    static List<Row> toRows(VideoResult r, VideoPrepConfig cfg) {
        List<Row> rows = new ArrayList<>();
        VideoEntry e = r.entry();
        for (VideoResult.Clip c : r.clips()) {
            rows.add(new ClipSchema.Clip(e.videoId(), r.path(), e.label(), e.labelIndex(), e.split(), c.index(), r.clips().size(),
                    c.sourceFps(), c.sourceFrames(), c.frameIndices(), cfg.geometry().height(), cfg.geometry().width(),
                    cfg.encoding(), c.frames().toArray(new byte[0][])).toRow());
        }
        return rows;
    }
}
