package dev.trainyard.prep.images;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.JobContext;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.OutputDir;
import dev.trainyard.prep.common.OutputKind;
import dev.trainyard.prep.common.QuarantineSchema;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.SplitAssigner;
import dev.trainyard.prep.text.SplitFractions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.Tuple3;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.apache.spark.sql.functions.col;

/**
 * IDX image + label files (MNIST's format, gzipped or not, on any Hadoop file system) to a
 * versioned Parquet dataset. One task per pair of files. A pair whose header is not a valid IDX
 * image/label header is quarantined as a unit; records with a bad label, no label, or missing
 * bytes are quarantined one by one. Records read = written + quarantined, checked.
 */
public final class ImagePrepJob {
    private static final Logger LOG = LoggerFactory.getLogger(ImagePrepJob.class);
    static final String BAD_HEADER = "bad_header";
    static final String BAD_LABEL = "bad_label";
    static final String NO_LABEL = "no_label";
    static final String NO_IMAGE = "no_image";
    static final String TRUNCATED = "truncated";

    private ImagePrepJob() {
    }

    public static ObjectNode run(SparkSession spark, ImagePrepConfig cfg) {
        JobContext job = JobContext.start(spark);
        JavaSparkContext jsc = job.jsc();
        Storage storage = job.storage();
        cfg.images().forEach(storage::requireFile);
        cfg.labels().forEach(storage::requireFile);
        Map<String, String> inputs = new java.util.LinkedHashMap<>();
        for (int i = 0; i < cfg.images().size(); i++) {
            inputs.put("--images[" + i + "]", cfg.images().get(i));
            inputs.put("--labels[" + i + "]", cfg.labels().get(i));
        }
        return OutputDir.write(storage, cfg.output(), cfg.overwrite(), OutputKind.DATASET, inputs,
                outDir -> write(spark, jsc, storage, cfg, outDir, job.startNanos()));
    }

    private static ObjectNode write(SparkSession spark, JavaSparkContext jsc, Storage storage, ImagePrepConfig cfg, String outDir,
                                    long t0) {
        List<Tuple2<String, String>> pairs = new ArrayList<>();
        for (int i = 0; i < cfg.images().size(); i++) {
            pairs.add(new Tuple2<>(cfg.images().get(i), cfg.labels().get(i)));
        }
        // Each pair yields rows tagged true (image) or false (quarantine), each with the input records it stands for
        // (1, or all the records a rejected header or a truncated tail declared).
        JavaRDD<Tuple3<Boolean, Row, Long>> out = jsc.parallelize(pairs, pairs.size())
                .flatMap(p -> readPair(p._1, p._2, cfg).iterator())
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        Dataset<Row> images = spark.createDataFrame(out.filter(t -> t._1()).map(t -> t._2()), ImageSchema.STRUCT);
        Dataset<Row> quarantine = spark.createDataFrame(out.filter(t -> !t._1()).map(t -> t._2()), QuarantineSchema.STRUCT);
        Map<String, Long> perSplit = new TreeMap<>();
        for (Row r : images.groupBy("split").count().collectAsList()) {
            perSplit.put(r.getString(0), r.getLong(1));
        }
        for (String s : perSplit.keySet()) {
            images.filter(col("split").equalTo(s)).write().parquet(DatasetMetadata.splitDir(outDir, ImageSchema.VERSION, s));
        }
        quarantine.coalesce(1).write().parquet(outDir + "/quarantine");
        Map<String, Long> perReason = new TreeMap<>(out.filter(t -> !t._1())
                .mapToPair(t -> new Tuple2<>(t._2().getString(2), t._3())).reduceByKey(Long::sum).collectAsMap());
        long read = out.map(Tuple3::_3).fold(0L, Long::sum);
        long written = perSplit.values().stream().mapToLong(Long::longValue).sum();
        long quarantined = perReason.values().stream().mapToLong(Long::longValue).sum();
        if (read != written + quarantined) {
            throw new IllegalStateException("counts do not reconcile: read " + read + " != " + written + " + " + quarantined);
        }
        Row shape = written == 0 ? null : images.select("height", "width").first();
        double secs = (System.nanoTime() - t0) / 1e9;
        ObjectNode s = Json.object();
        s.put("job", "prep images");
        s.put("finished_at", Instant.now().toString());
        s.set("images", Json.MAPPER.valueToTree(cfg.images()));
        s.set("labels", Json.MAPPER.valueToTree(cfg.labels()));
        s.put("output", cfg.output());
        s.put("records_read", read);
        s.put("records_written", written);
        s.put("records_quarantined", quarantined);
        s.put("reconciled", true);
        s.set("written_by_split", Json.MAPPER.valueToTree(perSplit));
        s.set("quarantined_by_reason", Json.MAPPER.valueToTree(perReason));
        s.put("seconds", secs);
        s.put("records_per_second", read / secs);
        storage.writeText(outDir + "/prep-summary.json", Json.write(s));
        ObjectNode meta = Json.object();
        meta.put("num_classes", cfg.numClasses());
        meta.put("height", shape == null ? 0 : shape.getInt(0));
        meta.put("width", shape == null ? 0 : shape.getInt(1));
        meta.set("rows_by_split", Json.MAPPER.valueToTree(perSplit));
        meta.put("seed", cfg.seed());
        meta.put("created_at", Instant.now().toString());
        DatasetMetadata.write(storage, outDir, ImageSchema.DATASET_KIND, ImageSchema.VERSION, meta);
        LOG.info("prep images: read {}, wrote {} {}, quarantined {} {} in {} s", read, written, perSplit, quarantined, perReason,
                String.format("%.1f", secs));
        out.unpersist(true);
        return s;
    }

    /** Streams one image file and its label file side by side. */
    public static List<Tuple3<Boolean, Row, Long>> readPair(String imageFile, String labelFile, ImagePrepConfig cfg) throws IOException {
        List<Tuple3<Boolean, Row, Long>> rows = new ArrayList<>();
        SplitAssigner dev = new SplitAssigner(new SplitFractions(1 - cfg.devFraction(), cfg.devFraction(), 0), cfg.seed());
        try (Idx img = Idx.open(imageFile); Idx lab = Idx.open(labelFile)) {
            IdxHeader ih;
            IdxHeader lh;
            try {
                ih = IdxHeader.read(img.in(), imageFile, 3);
                lh = IdxHeader.read(lab.in(), labelFile, 1);
                ih.checkSize(imageFile, img.dataBytes(ih));
                lh.checkSize(labelFile, lab.dataBytes(lh));
            } catch (IdxHeader.BadHeaderException e) {
                rows.add(reject(imageFile, -1, BAD_HEADER, e.getMessage(), e.declaredRecords()));
                return rows;
            }
            int h = ih.dims()[1];
            int w = ih.dims()[2];
            long n = Math.max(ih.count(), lh.count());
            byte[] px = new byte[h * w];
            for (long i = 0; i < n; i++) {
                boolean hasImage = i < ih.count() && readFully(img.in(), px);
                int label = i < lh.count() ? lab.in().read() : -1;
                if (!hasImage && i < ih.count()) {
                    // the rest of the file is missing: one row stands for every record from here on
                    rows.add(reject(imageFile, i, TRUNCATED, "images " + i + ".." + (ih.count() - 1) + " are missing: the file ends "
                            + "before the " + ih.count() + " images its header declares", n - i));
                    break;
                } else if (!hasImage) {
                    rows.add(reject(imageFile, i, NO_IMAGE, "label file has " + lh.count() + " labels, image file only " + ih.count()
                            + " images", n - i));
                    break;
                } else if (label < 0 && i < lh.count()) {
                    rows.add(reject(imageFile, i, TRUNCATED, "labels " + i + ".." + (lh.count() - 1) + " are missing: " + labelFile
                            + " ends before the " + lh.count() + " labels its header declares", n - i));
                    break;
                } else if (label < 0) {
                    rows.add(reject(imageFile, i, NO_LABEL, "image file has " + ih.count() + " images, label file only " + lh.count()
                            + " labels", 1));
                } else if (label >= cfg.numClasses()) {
                    rows.add(reject(imageFile, i, BAD_LABEL, "label " + label + " is outside 0.." + (cfg.numClasses() - 1), 1));
                } else {
                    String split = cfg.devFraction() > 0 ? dev.assign(imageFile + "#" + i) : cfg.split();
                    rows.add(new Tuple3<>(true, RowFactory.create(imageFile, i, split, label, h, w, px.clone()), 1L));
                }
            }
        }
        return rows;
    }

    /**
     * The images of one IDX file without labels (to score them): rows of (source file, index, height, width, pixels),
     * tagged true, or quarantine rows tagged false, each with the records it stands for, as {@link #readPair}.
     */
    public static List<Tuple3<Boolean, Row, Long>> readImages(String imageFile) throws IOException {
        List<Tuple3<Boolean, Row, Long>> rows = new ArrayList<>();
        try (Idx img = Idx.open(imageFile)) {
            IdxHeader ih;
            try {
                ih = IdxHeader.read(img.in(), imageFile, 3);
                ih.checkSize(imageFile, img.dataBytes(ih));
            } catch (IdxHeader.BadHeaderException e) {
                rows.add(reject(imageFile, -1, BAD_HEADER, e.getMessage(), e.declaredRecords()));
                return rows;
            }
            int h = ih.dims()[1];
            int w = ih.dims()[2];
            byte[] px = new byte[h * w];
            for (long i = 0; i < ih.count(); i++) {
                if (!readFully(img.in(), px)) {
                    rows.add(reject(imageFile, i, TRUNCATED, "images " + i + ".." + (ih.count() - 1) + " are missing: the file ends "
                            + "before the " + ih.count() + " images its header declares", ih.count() - i));
                    break;
                }
                rows.add(new Tuple3<>(true, RowFactory.create(imageFile, i, h, w, px.clone()), 1L));
            }
        }
        return rows;
    }

    /** Fills {@code buf}; false when the stream ends first. */
    private static boolean readFully(DataInputStream in, byte[] buf) throws IOException {
        try {
            in.readFully(buf);
            return true;
        } catch (EOFException e) {
            return false;
        }
    }

    private static Tuple3<Boolean, Row, Long> reject(String file, long index, String reason, String detail, long records) {
        return new Tuple3<>(false, RowFactory.create(file, index, reason, detail, null), records);
    }

    /** An open IDX file and, when it is not gzipped, its size: what a header is checked against. */
    record Idx(DataInputStream in, long fileBytes) implements java.io.Closeable {
        static Idx open(String file) throws IOException {
            Path p = new Path(file);
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(new Configuration());
            long size = fs.getFileStatus(p).getLen();
            InputStream raw = new BufferedInputStream(fs.open(p), 1 << 16);
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return new Idx(new DataInputStream(in), gzip ? -1 : size);
        }

        /** Bytes after the header, or -1 when unknown (gzipped). */
        long dataBytes(IdxHeader h) {
            return fileBytes < 0 ? -1 : fileBytes - h.headerBytes();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
