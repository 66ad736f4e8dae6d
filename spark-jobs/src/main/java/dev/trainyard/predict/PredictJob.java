package dev.trainyard.predict;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.ml.ClipModel;
import dev.trainyard.ml.ImageEnsembleModel;
import dev.trainyard.ml.ModelSource;
import dev.trainyard.ml.SiameseModel;
import dev.trainyard.ml.TrainyardModel;
import dev.trainyard.prep.common.JobContext;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.OutputDir;
import dev.trainyard.prep.common.OutputKind;
import dev.trainyard.prep.common.QuarantineSchema;
import dev.trainyard.prep.common.SparkProgress;
import dev.trainyard.prep.common.Storage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.lit;

/**
 * {@code trainyard predict}: scores new data with a trained or promoted model on the executors, through the model's
 * Spark ML form ({@link TrainyardModel}, one scoring path for both). Writes {@code predictions/} (Parquet, the model's
 * name, version and family on every row), {@code quarantine/} (rejected inputs with reasons) and
 * {@value #SUMMARY}, where rows read = predicted + quarantined.
 */
public final class PredictJob {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.predict");
    public static final String PREDICTIONS = "predictions";
    public static final String QUARANTINE = "quarantine";
    public static final String SUMMARY = "predict-summary.json";
    public static final String MODEL_NAME = "model_name";
    public static final String MODEL_VERSION = "model_version";
    public static final String MODEL_FAMILY = "model_family";

    private PredictJob() {
    }

    public static ObjectNode run(SparkSession spark, PredictConfig cfg) {
        JobContext job = JobContext.start(spark);
        SparkProgress.register(spark.sparkContext());
        Storage storage = job.storage();
        ModelSource source = ModelSource.resolve(storage, cfg.model());
        TrainyardModel<?> model = TrainyardModel.of(spark, source, cfg.fitFrom());
        Map<String, String> inputs = new LinkedHashMap<>();
        for (int i = 0; i < cfg.inputs().size(); i++) {
            inputs.put("--input " + (i + 1), cfg.inputs().get(i));
        }
        inputs.put("--model", source.dir());
        return OutputDir.write(storage, cfg.output(), cfg.overwrite(), OutputKind.PREDICTIONS, inputs,
                out -> write(spark, job, storage, cfg, source, model, out));
    }

    /**
     * The rows in at least two partitions per core, evenly, so every executor scores to the end: a prepared dataset
     * is read one partition per file (or 128 MB), and a few uneven partitions leave executors idle while one works.
     */
    public static Dataset<Row> spread(SparkSession spark, Dataset<Row> rows) {
        int target = 2 * spark.sparkContext().defaultParallelism();
        return rows.rdd().getNumPartitions() < target ? rows.repartition(target) : rows;
    }

    private static ObjectNode write(SparkSession spark, JobContext job, Storage storage, PredictConfig cfg, ModelSource source,
                                    TrainyardModel<?> model, String out) {
        Prediction p;
        if (model instanceof SiameseModel m) {
            p = PairPredictions.predict(spark, storage, m, cfg);
        } else if (model instanceof ImageEnsembleModel m) {
            p = ImagePredictions.predict(spark, storage, m, cfg);
        } else if (model instanceof ClipModel m) {
            p = VideoPredictions.predict(spark, storage, m, cfg);
        } else {
            throw new IllegalArgumentException("no predictions for '" + source.family() + "' models");
        }
        try {
            Dataset<Row> rows = p.rows().withColumn(MODEL_NAME, lit(source.name())).withColumn(MODEL_VERSION, lit(source.version()))
                    .withColumn(MODEL_FAMILY, lit(source.family()));
            rows.write().parquet(out + "/" + PREDICTIONS);
            p.quarantine().coalesce(1).write().parquet(out + "/" + QUARANTINE);
            long predicted = spark.read().parquet(out + "/" + PREDICTIONS).count();
            Map<String, Long> perReason = new TreeMap<>(p.quarantined());
            if (perReason.isEmpty()) {
                for (Row r : spark.read().parquet(out + "/" + QUARANTINE).groupBy(QuarantineSchema.REASON).count().collectAsList()) {
                    perReason.put(r.getString(0), r.getLong(1));
                }
            }
            long quarantined = perReason.values().stream().mapToLong(Long::longValue).sum();
            if (p.read() != predicted + quarantined) {
                throw new IllegalStateException("counts do not reconcile: read " + p.read() + " " + p.unit() + " != predicted " + predicted
                        + " + quarantined " + quarantined);
            }
            double secs = job.seconds();
            ObjectNode s = Json.object();
            s.put("job", "predict");
            s.put("finished_at", Instant.now().toString());
            ObjectNode m = s.putObject("model");
            m.put("reference", cfg.model());
            m.put("dir", source.dir());
            m.put("name", source.name());
            m.put("version", source.version());
            m.put("family", source.family());
            s.set("inputs", Json.MAPPER.valueToTree(cfg.inputs()));
            s.put("output", cfg.output());
            s.put("unit", p.unit());
            s.put("rows_read", p.read());
            s.put("rows_predicted", predicted);
            s.put("rows_quarantined", quarantined);
            s.put("reconciled", true);
            s.set("quarantined_by_reason", Json.MAPPER.valueToTree(perReason));
            s.set("details", p.details());
            s.put("seconds", secs);
            s.put("rows_per_second", p.read() / Math.max(secs, 1e-9));
            storage.writeText(out + "/" + SUMMARY, Json.write(s));
            LOG.info(String.format("predict: %d %s read, %d predicted, %d quarantined %s, in %.1f s (%.0f %s/s) with %s %s@%s",
                    p.read(), p.unit(), predicted, quarantined, perReason, secs, p.read() / Math.max(secs, 1e-9), p.unit(),
                    source.family(), source.name(), source.version()));
            return s;
        } finally {
            p.cleanup().run();
        }
    }
}
