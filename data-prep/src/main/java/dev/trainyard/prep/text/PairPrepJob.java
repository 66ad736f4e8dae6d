package dev.trainyard.prep.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.OutputDir;
import dev.trainyard.prep.common.OutputKind;
import dev.trainyard.prep.common.ParquetCounts;
import dev.trainyard.prep.common.ParquetWriterKind;
import dev.trainyard.prep.common.QuarantineSchema;
import dev.trainyard.prep.common.SparkProgress;
import dev.trainyard.prep.common.SqlWarmup;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.common.VectorParquet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Question pairs (Quora TSV, Kaggle CSV, MRPC) to a versioned Parquet dataset: parse, quarantine
 * bad rows with reasons, clean and tokenise, split by a seeded hash of the pair id, fit TF-IDF and
 * word vectors on the training split (or reuse an earlier fit), and write TF-IDF-weighted mean
 * vectors and token ids per question. Every row read is either written or quarantined.
 */
public final class PairPrepJob {
    private static final Logger LOG = LoggerFactory.getLogger(PairPrepJob.class);
    public static final String SUMMARY = "prep-summary.json";
    public static final String QUARANTINE = "quarantine";

    private PairPrepJob() {
    }

    public static ObjectNode run(SparkSession spark, PairPrepConfig cfg) {
        long t0 = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SparkProgress.register(spark.sparkContext());
        if (usesSparkSql(cfg)) {
            SqlWarmup.start(spark, PairSchema.STRUCT);
        }
        Storage storage = new Storage(jsc.hadoopConfiguration());
        return OutputDir.write(storage, cfg.output(), cfg.overwrite(), OutputKind.DATASET, inputs(cfg),
                outDir -> run(spark, jsc, storage, cfg, outDir, t0));
    }

    /** The inputs an output must not overlap. */
    private static Map<String, String> inputs(PairPrepConfig cfg) {
        Map<String, String> in = new java.util.LinkedHashMap<>();
        for (int i = 0; i < cfg.inputs().size(); i++) {
            in.put("input " + (i + 1), cfg.inputs().get(i));
        }
        in.put("--vectors", cfg.vectors());
        in.put("--fit-from", cfg.fitFrom());
        return in;
    }

    private static ObjectNode run(SparkSession spark, JavaSparkContext jsc, Storage storage, PairPrepConfig cfg, String outDir,
                                  long t0) {
        JavaRDD<PairRecord> records = readRecords(spark, jsc, storage, cfg);
        SplitAssigner splits = new SplitAssigner(cfg.split(), cfg.seed());
        long tRead = System.nanoTime();
        TextFitter.Fit fit = cfg.fitFrom() != null ? TextFitter.load(spark, cfg.fitFrom())
                : TextFitter.fit(spark, cleanSplit(records, splits, SplitAssigner.TRAIN), cfg);
        long tFit = System.nanoTime();
        Written written = writeOutputs(spark, jsc, records, splits, fit, cfg, outDir);
        long tWrite = System.nanoTime();
        ObjectNode summary = reconcileAndRecord(storage, cfg, outDir, records.count(), written, fit,
                new double[]{secs(t0, tRead), secs(tRead, tFit), secs(tFit, tWrite), secs(t0, System.nanoTime())});
        records.unpersist(true);
        return summary;
    }

    /**
     * Step 1, read: every input record becomes a {@link PairRecord}, a pair or a rejection (unreadable, too
     * short, duplicate id). Persisted: every later step reads it.
     */
    public static JavaRDD<PairRecord> readRecords(SparkSession spark, JavaSparkContext jsc, Storage storage, PairPrepConfig cfg) {
        List<JavaRDD<PairRecord>> parts = new ArrayList<>();
        for (String file : cfg.inputs()) {
            FileStatus st = storage.requireFile(file);
            storage.requireWholeGzip(file);
            parts.add(st.getLen() == 0
                    ? jsc.parallelize(List.of(PairRecord.reject(file, 0, RejectReason.EMPTY_FILE, "file has no bytes", null)), 1)
                    : PairReaders.read(spark, file, st.getLen(), cfg.format()));
        }
        int minChars = cfg.minChars();
        @SuppressWarnings("unchecked")
        JavaRDD<PairRecord> union = jsc.union(parts.toArray(JavaRDD[]::new));
        JavaRDD<PairRecord> parsed = union.map(r -> r.rejected() || (TextNormalizer.visibleLength(r.question1) >= minChars
                && TextNormalizer.visibleLength(r.question2) >= minChars) ? r
                : r.rejectAs(RejectReason.TOO_SHORT, "a question is shorter than " + minChars + " characters"));
        // the parsed records are cached; cleaned pairs are not: their token lists make Spark's size
        // estimate of a cached partition cost more than cleaning them again
        parsed.persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<PairRecord> records = DuplicateIds.quarantine(jsc, parsed, cfg.inputs());
        if (records != parsed) {
            records.persist(StorageLevel.MEMORY_AND_DISK());
            records.count();
            parsed.unpersist(false);
        }
        return records;
    }

    /** What step 3 wrote, counted from the files: rows per non-empty split, unlabeled rows, rejections per reason. */
    private record Written(Map<String, Long> perSplit, long unlabeled, Map<String, Long> perReason) {
        long rows() {
            return perSplit.values().stream().mapToLong(Long::longValue).sum();
        }

        long quarantined() {
            return perReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Step 3, transform and write each split, the quarantine and the fit's artifacts as concurrent Spark jobs: one
     * job's driver-side planning and last straggling task overlap another's work.
     */
    private static Written writeOutputs(SparkSession spark, JavaSparkContext jsc, JavaRDD<PairRecord> records,
                                        SplitAssigner splits, TextFitter.Fit fit, PairPrepConfig cfg, String outDir) {
        Broadcast<FittedText> text = jsc.broadcast(fit.text());
        List<String> splitNames = List.of(SplitAssigner.TRAIN, SplitAssigner.DEV, SplitAssigner.TEST);
        ExecutorService writers = Executors.newFixedThreadPool(splitNames.size() + 2);
        Map<String, long[]> perSplitCounts = new TreeMap<>();
        Map<String, Long> perReason;
        try {
            perReason = VectorParquet.withTwoLevelLists(spark, () -> {
                Map<String, Future<long[]>> splitJobs = new TreeMap<>();
                for (String s : splitNames) {
                    splitJobs.put(s, writers.submit(() -> writeSplit(spark, records, splits, text, s, cfg.writer(),
                            DatasetMetadata.splitDir(outDir, PairSchema.VERSION, s))));
                }
                Future<Map<String, Long>> quarantineJob = writers.submit(() -> writeQuarantine(spark, records, cfg.writer(),
                        outDir + "/" + QUARANTINE));
                Future<?> artifactsJob = writers.submit(() -> fit.save(outDir));
                splitJobs.forEach((s, job) -> perSplitCounts.put(s, await(job)));
                await(artifactsJob);
                return await(quarantineJob);
            });
        } finally {
            writers.shutdownNow();
        }
        Map<String, Long> perSplit = new TreeMap<>();
        long unlabeled = 0;
        for (Map.Entry<String, long[]> e : perSplitCounts.entrySet()) {
            if (e.getValue()[0] > 0) {
                perSplit.put(e.getKey(), e.getValue()[0]);
                unlabeled += e.getValue()[1];
            }
        }
        return new Written(perSplit, unlabeled, perReason);
    }

    /** Step 4: rows read = written + quarantined, or fail; then the summary and the dataset's metadata. */
    private static ObjectNode reconcileAndRecord(Storage storage, PairPrepConfig cfg, String outDir, long read, Written written,
                                                 TextFitter.Fit fit, double[] seconds) {
        if (read != written.rows() + written.quarantined()) {
            throw new IllegalStateException("counts do not reconcile: read " + read + " != written " + written.rows()
                    + " + quarantined " + written.quarantined());
        }
        ObjectNode summary = summary(cfg, read, written, fit, seconds);
        storage.writeText(outDir + "/" + SUMMARY, Json.write(summary));
        DatasetMetadata.write(storage, outDir, PairSchema.DATASET_KIND, PairSchema.VERSION,
                metadata(cfg, fit, written.perSplit(), written.rows() - written.unlabeled()));
        LOG.info("prep pairs: read {} rows, wrote {} ({}), quarantined {} ({}) in {} s", read, written.rows(),
                written.perSplit(), written.quarantined(), written.perReason(), String.format("%.1f", seconds[3]));
        return summary;
    }

    /**
     * Writes one split; returns {rows, unlabeled rows}, counted from what is on disk (the files'
     * footers), not from what was meant to be written.
     */
    private static long[] writeSplit(SparkSession spark, JavaRDD<PairRecord> records, SplitAssigner splits,
                                     Broadcast<FittedText> text, String split, ParquetWriterKind writer, String dir) {
        JavaRDD<Object[]> rows = cleanSplit(records, splits, split).map(p -> values(p, text.value()));
        if (writer == ParquetWriterKind.SPARK) {
            // Spark's writer with the vector settings (no dictionaries; two-level lists around the block)
            VectorParquet.writer(spark.createDataFrame(rows.map(RowFactory::create), PairSchema.STRUCT), PairSchema.VECTOR_COLUMNS,
                    PairSchema.DISTINCT_COLUMNS).parquet(dir);
        } else {
            writer.write(spark, rows, PairSchema.STRUCT, dir);
        }
        ParquetCounts onDisk = ParquetCounts.of(spark.sparkContext().hadoopConfiguration(), dir, PairSchema.LABEL);
        if (onDisk.nulls().isPresent()) {
            return new long[]{onDisk.rows(), onDisk.nulls().getAsLong()};
        }
        Row counts = spark.read().parquet(dir)
                .agg(count(lit(1)), sum(when(col(PairSchema.LABEL).isNull(), 1).otherwise(0))).first();
        return new long[]{counts.getLong(0), counts.isNullAt(1) ? 0 : counts.getLong(1)};
    }

    /** Writes the rejected records with their reasons; returns the count per reason, read back from the table. */
    private static Map<String, Long> writeQuarantine(SparkSession spark, JavaRDD<PairRecord> records, ParquetWriterKind writer,
                                                     String dir) {
        JavaRDD<Object[]> rejected = records.filter(PairRecord::rejected).map(r -> new Object[]{r.sourceFile,
                r.sourceRow, r.reason.column(), r.detail, r.raw});
        writer.write(spark, rejected.coalesce(1), QuarantineSchema.STRUCT, dir);
        return ParquetCounts.valueCounts(spark.sparkContext().hadoopConfiguration(), dir, QuarantineSchema.REASON);
    }

    private static <T> T await(Future<T> job) {
        try {
            return job.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Whether the job will plan Spark SQL queries: Spark's DataFrame writer, the Kaggle CSV reader,
     * Word2Vec and reading an earlier fit do; the column-wise writer on TSV input with given word
     * vectors does not (the quarantine's reasons are counted from its files by parquet-mr).
     */
    static boolean usesSparkSql(PairPrepConfig cfg) {
        return cfg.writer() == ParquetWriterKind.SPARK || cfg.format() == PairFormat.KAGGLE || cfg.vectors() == null;
    }

    /** The accepted pairs of one split, cleaned; the split is decided before the (costlier) cleaning. */
    private static JavaRDD<CleanPair> cleanSplit(JavaRDD<PairRecord> records, SplitAssigner splits, String split) {
        return records.filter(r -> !r.rejected() && split.equals(splits.assign(r.pairId))).map(r -> CleanPair.of(r, splits));
    }

    /** A pair's values in {@link PairSchema#STRUCT}'s order. */
    static Object[] values(CleanPair p, FittedText text) {
        int[] ids1 = text.tokenIds(p.tokens1());
        int[] ids2 = text.tokenIds(p.tokens2());
        return new PairSchema.Pair(p.pairId(), p.sourceFile(), p.sourceRow(), p.split(), p.label(), p.question1(), p.question2(),
                text.weightedMean(ids1), text.weightedMean(ids2), ids1, ids2).values();
    }


    /** {@code seconds}: read and clean, fit, transform and write, total. */
    private static ObjectNode summary(PairPrepConfig cfg, long read, Written written, TextFitter.Fit fit, double[] seconds) {
        ObjectNode s = Json.object();
        s.put("job", "prep pairs");
        s.put("finished_at", Instant.now().toString());
        s.put("format", cfg.format().cliName());
        ArrayNode inputs = s.putArray("inputs");
        cfg.inputs().forEach(inputs::add);
        s.put("output", cfg.output());
        s.put("rows_read", read);
        s.put("rows_written", written.rows());
        s.put("rows_quarantined", written.quarantined());
        s.put("reconciled", read == written.rows() + written.quarantined());
        s.set("written_by_split", Json.MAPPER.valueToTree(written.perSplit()));
        s.set("quarantined_by_reason", Json.MAPPER.valueToTree(written.perReason()));
        s.set("fit", fit.info());
        ObjectNode t = s.putObject("seconds");
        t.put("read_clean", seconds[0]);
        t.put("fit", seconds[1]);
        t.put("transform_write", seconds[2]);
        t.put("total", seconds[3]);
        s.put("rows_per_second", read / Math.max(seconds[3], 1e-9));
        return s;
    }

    private static ObjectNode metadata(PairPrepConfig cfg, TextFitter.Fit fit, Map<String, Long> perSplit, long labeledRows) {
        ObjectNode d = Json.object();
        d.put("feature_dim", fit.text().dim());
        d.put("vocabulary_size", fit.text().vocabularySize());
        d.put("labeled_rows", labeledRows);
        d.put("split", cfg.split().toString());
        d.put("seed", cfg.seed());
        d.put("min_chars", cfg.minChars());
        d.put("format", cfg.format().cliName());
        d.put("created_at", Instant.now().toString());
        d.set("rows_by_split", Json.MAPPER.valueToTree(perSplit));
        d.put("artifacts", cfg.fitFrom() != null ? cfg.fitFrom() + "/" + TextFitter.ARTIFACTS : cfg.output() + "/" + TextFitter.ARTIFACTS);
        return d;
    }

    private static double secs(long from, long to) {
        return (to - from) / 1e9;
    }

}
