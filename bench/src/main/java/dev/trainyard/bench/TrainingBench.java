package dev.trainyard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.SplitAssigner;
import dev.trainyard.train.Batches;
import dev.trainyard.train.BuildInfo;
import dev.trainyard.train.PairBatches;
import dev.trainyard.train.PairExample;
import dev.trainyard.train.PairFeatures;
import dev.trainyard.train.Trainer;
import dev.trainyard.train.Trainers;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/**
 * Siamese training throughput: single-JVM {@code fit} on the driver (the baseline) against DL4J
 * parameter averaging on Spark with each worker count, same data, network, batch size and JVM.
 * Untimed warm-up epochs first; reports pairs/s and the ratio to the baseline.
 */
public final class TrainingBench {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.bench");

    private TrainingBench() {
    }

    public record Config(String data, List<Integer> workers, int batchSize, int averagingFrequency, int epochs,
                         int warmupEpochs, long seed) {
        public Config {
            workers = List.copyOf(workers);
            if (epochs < 1 || warmupEpochs < 0 || batchSize < 1 || averagingFrequency < 1 || workers.isEmpty()) {
                throw new IllegalArgumentException("bench needs epochs >= 1, warm-up >= 0, batch >= 1, frequency >= 1 and a worker count");
            }
        }
    }

    public static ObjectNode run(SparkSession spark, Config cfg) {
        JsonNode meta = DatasetMetadata.require(new Storage(spark.sparkContext().hadoopConfiguration()), cfg.data(),
                PairSchema.DATASET_KIND, PairSchema.VERSION);
        SiameseSpec spec = SiameseSpec.defaults(meta.path("details").path("feature_dim").asInt()).withSeed(cfg.seed());
        ObjectNode out = Json.object();
        out.put("bench", "siamese training throughput");
        out.set("machine", Machine.describe());
        out.put("run_at", Instant.now().toString());
        out.put("data", cfg.data());
        out.set("config", Json.MAPPER.valueToTree(cfg));
        out.put("spark_master", spark.sparkContext().master());
        out.set("versions", BuildInfo.versions(spark.version()));
        ArrayNode runs = out.putArray("runs");
        int cores = Runtime.getRuntime().availableProcessors();
        out.put("cores", cores);
        double baseline = measure(spark, cfg, spec, new TrainingConfig(TrainingConfig.Engine.LOCAL, 1, cfg.batchSize(),
                cfg.averagingFrequency(), 2, cfg.epochs(), cfg.seed(), cores), runs, Double.NaN);
        if (cores > 1) {
            measure(spark, cfg, spec, new TrainingConfig(TrainingConfig.Engine.LOCAL, 1, cfg.batchSize(),
                    cfg.averagingFrequency(), 2, cfg.epochs(), cfg.seed(), 1), runs, baseline);
        }
        for (int w : cfg.workers()) {
            measure(spark, cfg, spec, new TrainingConfig(TrainingConfig.Engine.SPARK, w, cfg.batchSize(),
                    cfg.averagingFrequency(), 2, cfg.epochs(), cfg.seed()), runs, baseline);
        }
        return out;
    }

    private static double measure(SparkSession spark, Config cfg, SiameseSpec spec, TrainingConfig t, ArrayNode runs, double baseline) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int layoutWorkers = t.layoutWorkers();
        try (Batches<PairExample> batches = PairBatches.load(spark, cfg.data(), SplitAssigner.TRAIN, PairFeatures.VECTORS, t.batchSizePerWorker(),
                layoutWorkers, t.averagingFrequency(), t.seed());
             Trainer trainer = Trainers.create(jsc, SiameseNetwork.build(spec), t)) {
            for (int i = 0; i < cfg.warmupEpochs(); i++) {
                trainer.fitEpoch(batches, (r, n, e, l) -> { });
            }
            long t0 = System.nanoTime();
            double loss = 0;
            for (int i = 0; i < cfg.epochs(); i++) {
                loss = trainer.fitEpoch(batches, (r, n, e, l) -> { });
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double rate = batches.numExamples() * (double) cfg.epochs() / secs;
            ObjectNode run = runs.addObject();
            run.put("engine", t.engine() == TrainingConfig.Engine.LOCAL ? "single JVM fit" : "spark parameter averaging");
            run.put("baseline", Double.isNaN(baseline));
            run.put("workers", t.layoutWorkers());
            run.put("nd4j_threads_per_worker", t.effectiveThreads());
            run.put("examples", batches.numExamples());
            run.put("seconds", secs);
            run.put("pairs_per_second", rate);
            run.put("last_epoch_loss", loss);
            if (!Double.isNaN(baseline)) {
                run.put("ratio_to_single_jvm", rate / baseline);
            }
            LOG.info(String.format("%s, %d worker(s) x %d thread(s): %.0f pairs/s%s", run.path("engine").asText(),
                    run.path("workers").asInt(), t.effectiveThreads(), rate, Double.isNaN(baseline) ? "" : String.format(" (%.2fx single JVM)", rate / baseline)));
            return rate;
        }
    }
}
