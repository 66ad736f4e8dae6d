package dev.trainyard.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.SparkProgress;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.SplitAssigner;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Trains the Siamese network on a prepared pair dataset: per epoch one pass over the training
 * split (parameter averaging on Spark, or single-JVM fit), then the dev loss, a checkpoint and a
 * metrics line; finally the model, its manifest and metrics.
 */
public final class SiameseTrainJob {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.train");

    private SiameseTrainJob() {
    }

    /** What a run produced. */
    public record Result(ComputationGraph network, ArrayNode epochs, double examplesPerSecond, Path modelDir) {
    }

    public static Result run(SparkSession spark, SiameseTrainConfig cfg) {
        long start = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SparkProgress.register(spark.sparkContext());
        Storage storage = new Storage(jsc.hadoopConfiguration());
        JsonNode meta = DatasetMetadata.require(storage, cfg.data(), PairSchema.DATASET_KIND, PairSchema.VERSION);
        int dim = meta.path("details").path("feature_dim").asInt();
        SiameseSpec spec = cfg.spec().inputDim() == dim ? cfg.spec() : withInputDim(cfg.spec(), dim);
        ModelDir modelDir = prepareModelDir(cfg);

        TrainingConfig t = cfg.training();
        PairBatches train = PairBatches.load(spark, cfg.data(), SplitAssigner.TRAIN, t.batchSizePerWorker(),
                t.engine() == TrainingConfig.Engine.LOCAL ? 1 : t.workers(), t.averagingFrequency(), t.seed());
        List<MultiDataSet> dev = devBatches(spark, cfg.data(), t);
        LOG.info("training on {} pairs ({} minibatches, {} averaging rounds per epoch), dev {} minibatches",
                train.numExamples(), train.numBatches(), train.layout().rounds(), dev.size());

        ArrayNode epochs = cfg.resume() ? modelDir.epochs() : Json.MAPPER.createArrayNode();
        int firstEpoch = 1;
        ComputationGraph net;
        Optional<Path> checkpoint = cfg.resume() ? modelDir.checkpoints().latest() : Optional.empty();
        if (checkpoint.isPresent()) {
            net = restore(checkpoint.get());
            firstEpoch = CheckpointStore.epochOf(checkpoint.get()) + 1;
            trimEpochs(epochs, firstEpoch);
            LOG.info("resuming from {} at epoch {}", checkpoint.get(), firstEpoch);
        } else {
            net = SiameseNetwork.build(spec);
        }
        writeManifest(modelDir, cfg, spec, meta, spark, null);

        double trainSeconds = 0;
        long trainedExamples = 0;
        try (Trainer trainer = Trainers.create(jsc, net, t)) {
            for (int epoch = firstEpoch; epoch <= t.epochs(); epoch++) {
                long e0 = System.nanoTime();
                EpochProgress progress = new EpochProgress(epoch, t.epochs());
                double trainLoss = trainer.fitEpoch(train, progress);
                double secs = (System.nanoTime() - e0) / 1e9;
                trainSeconds += secs;
                trainedExamples += train.numExamples();
                double devLoss = meanLoss(trainer.network(), dev);
                ObjectNode line = epochs.addObject();
                line.put("epoch", epoch);
                line.put("train_loss", trainLoss);
                if (!Double.isNaN(devLoss)) {
                    line.put("dev_loss", devLoss);
                }
                line.put("seconds", secs);
                line.put("examples_per_second", train.numExamples() / secs);
                modelDir.checkpoints().save(trainer.network(), epoch);
                modelDir.writeJson(ModelDir.METRICS, ModelDir.metrics(epochs));
                double eta = (t.epochs() - epoch) * (trainSeconds / (epoch - firstEpoch + 1));
                LOG.info(String.format("epoch %d/%d: train loss %.4f, dev loss %.4f, %.0f pairs/s, %.1f s, ETA %.0f s",
                        epoch, t.epochs(), trainLoss, devLoss, train.numExamples() / secs, secs, eta));
            }
            net = trainer.network();
        } finally {
            train.close();
        }
        modelDir.writeModel(net);
        double rate = trainedExamples / Math.max(trainSeconds, 1e-9);
        ObjectNode timing = Json.object();
        timing.put("train_seconds", trainSeconds);
        timing.put("total_seconds", (System.nanoTime() - start) / 1e9);
        timing.put("examples_per_second", rate);
        writeManifest(modelDir, cfg, spec, meta, spark, timing);
        return new Result(net, epochs, rate, modelDir.path());
    }

    private static ModelDir prepareModelDir(SiameseTrainConfig cfg) {
        Path dir = Path.of(cfg.output());
        ModelDir md = new ModelDir(dir);
        try {
            boolean nonEmpty = Files.isDirectory(dir) && Files.list(dir).findAny().isPresent();
            if (nonEmpty && !cfg.resume()) {
                if (!cfg.overwrite()) {
                    throw new IllegalArgumentException("model directory " + dir
                            + " is not empty; pass --resume to continue it or --overwrite to replace it");
                }
                org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return md;
    }

    private static List<MultiDataSet> devBatches(SparkSession spark, String data, TrainingConfig t) {
        long rows = PairBatches.readSplit(spark, data, SplitAssigner.DEV).count();
        if (rows == 0) {
            return List.of();
        }
        try (PairBatches dev = PairBatches.load(spark, data, SplitAssigner.DEV, 256, 1, 1, t.seed())) {
            return dev.all().collect();
        }
    }

    /** Example-weighted mean loss over batches; NaN when there are none. */
    static double meanLoss(ComputationGraph net, List<MultiDataSet> batches) {
        double sum = 0;
        long n = 0;
        for (MultiDataSet b : batches) {
            long size = b.getFeatures(0).size(0);
            sum += net.score(b, false) * size;
            n += size;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static ComputationGraph restore(Path checkpoint) {
        try {
            return ModelSerializer.restoreComputationGraph(checkpoint.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpoint, e);
        }
    }

    private static void trimEpochs(ArrayNode epochs, int firstEpoch) {
        for (int i = epochs.size() - 1; i >= 0; i--) {
            if (epochs.get(i).path("epoch").asInt() >= firstEpoch) {
                epochs.remove(i);
            }
        }
    }

    private static SiameseSpec withInputDim(SiameseSpec s, int dim) {
        return new SiameseSpec(dim, s.hidden(), s.norm(), s.residual(), s.concat(), s.head(), s.fcSize(), s.dropout(),
                s.margin(), s.updater(), s.learningRate(), s.l2(), s.seed());
    }

    private static void writeManifest(ModelDir dir, SiameseTrainConfig cfg, SiameseSpec spec, JsonNode meta,
                                      SparkSession spark, ObjectNode timing) {
        ObjectNode m = Json.object();
        m.put("model", "siamese");
        m.put("written_at", Instant.now().toString());
        m.put("complete", timing != null);
        m.set("spec", Json.MAPPER.valueToTree(spec));
        m.set("training", Json.MAPPER.valueToTree(cfg.training()));
        m.put("seed", cfg.training().seed());
        ObjectNode seeds = m.putObject("derived_seeds");
        seeds.put("weight_init", spec.seed());
        seeds.put("data_order", cfg.training().seed());
        ObjectNode data = m.putObject("data");
        data.put("path", cfg.data());
        data.put("kind", meta.path("kind").asText());
        data.put("schema_version", meta.path("schema_version").asInt());
        data.set("details", meta.path("details"));
        m.put("spark_master", spark.sparkContext().master());
        m.put("nd4j_threads_per_worker", spark.sparkContext().isLocal() || cfg.training().engine() == TrainingConfig.Engine.LOCAL
                ? String.valueOf(cfg.training().effectiveThreads()) : "executor default (OMP_NUM_THREADS)");
        m.set("versions", BuildInfo.versions(spark.version()));
        if (timing != null) {
            m.set("timing", timing);
        }
        dir.writeJson(ModelDir.MANIFEST, m);
    }

    /** Logs progress inside an epoch at most every 5 s: round, pairs/s, loss, ETA. */
    private static final class EpochProgress implements Trainer.RoundListener {
        private final int epoch;
        private final int epochs;
        private final long epochStart = System.nanoTime();
        private long lastLog = System.nanoTime();

        EpochProgress(int epoch, int epochs) {
            this.epoch = epoch;
            this.epochs = epochs;
        }

        @Override
        public void onRound(int round, int rounds, long examples, double loss) {
            long now = System.nanoTime();
            if (now - lastLog < 5_000_000_000L || round == rounds) {
                return;
            }
            lastLog = now;
            double secs = (now - epochStart) / 1e9;
            double eta = secs / round * (rounds - round);
            LOG.info(String.format("epoch %d/%d round %d/%d: %.0f pairs/s, loss %.4f, epoch ETA %.0f s",
                    epoch, epochs, round, rounds, examples / secs, loss, eta));
        }
    }
}
