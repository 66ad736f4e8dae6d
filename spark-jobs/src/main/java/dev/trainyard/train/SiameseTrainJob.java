package dev.trainyard.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.JobContext;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.FittedText;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.SplitAssigner;
import dev.trainyard.prep.text.TextFitter;
import dev.trainyard.zoo.siamese.SequenceTower;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

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
    public record Result(ComputationGraph network, ArrayNode epochs, double examplesPerSecond, String modelDir) {
    }

    public static Result run(SparkSession spark, SiameseTrainConfig cfg) {
        JobContext job = JobContext.start(spark);
        JavaSparkContext jsc = job.jsc();
        Storage storage = job.storage();
        PairSchema.Meta meta = PairSchema.meta(storage, cfg.data());
        SiameseSpec spec = forData(cfg.spec(), meta);
        ModelDir modelDir = ModelDir.prepare(storage, cfg.output(), cfg.resume(), cfg.overwrite(), java.util.Map.of("--data", cfg.data()));
        try {
            Result r = train(spark, jsc, cfg, spec, meta, modelDir, job.startNanos());
            modelDir.commit();
            return new Result(r.network(), r.epochs(), r.examplesPerSecond(), modelDir.target());
        } catch (RuntimeException | Error e) {
            modelDir.abandon();
            throw e;
        }
    }

    private static Result train(SparkSession spark, JavaSparkContext jsc, SiameseTrainConfig cfg, SiameseSpec spec, PairSchema.Meta meta,
                                ModelDir modelDir, long start) {
        TrainingConfig t = cfg.training();
        PairFeatures features = PairFeatures.of(spec);
        Batches<PairExample> train = PairBatches.load(spark, cfg.data(), SplitAssigner.TRAIN, features, t.batchSizePerWorker(),
                t.layoutWorkers(), t.averagingFrequency(), t.seed());
        List<MultiDataSet> dev = devBatches(spark, meta, features, t);
        LOG.info("training on {} pairs ({} minibatches, {} averaging rounds per epoch), dev {} minibatches",
                train.numExamples(), train.numBatches(), train.layout().rounds(), dev.size());

        ArrayNode epochs = cfg.resume() ? modelDir.epochs() : Json.MAPPER.createArrayNode();
        ModelDir.Start begin = modelDir.start(cfg.resume(), epochs, () -> initialNetwork(spark, spec, meta));
        begin.checkpoint().ifPresent(cp -> LOG.info("resuming from {} at epoch {}", cp, begin.firstEpoch()));
        writeManifest(modelDir, cfg, spec, meta, spark, null);

        EpochLoop.Outcome outcome;
        try (Trainer trainer = Trainers.create(jsc, begin.network(), t)) {
            outcome = EpochLoop.run(trainer, train, net -> EpochLoop.meanLoss(net, dev), modelDir, epochs, begin, t.epochs(), "pairs");
        } finally {
            train.close();
        }
        ComputationGraph net = outcome.network();
        modelDir.writeModel(net);
        writeManifest(modelDir, cfg, spec, meta, spark, outcome.timing(start));
        return new Result(net, epochs, outcome.examplesPerSecond(), modelDir.path());
    }

    private static List<MultiDataSet> devBatches(SparkSession spark, PairSchema.Meta meta, PairFeatures features, TrainingConfig t) {
        if (meta.rows(SplitAssigner.DEV) == 0) {
            return List.of();
        }
        try (Batches<PairExample> dev = PairBatches.load(spark, meta.dataset(), SplitAssigner.DEV, features, 256, 1, 1, t.seed())) {
            return dev.all().collect();
        }
    }

    /** The spec sized for a dataset: word-vector dimension, and the vocabulary for a sequence tower. */
    static SiameseSpec forData(SiameseSpec s, PairSchema.Meta meta) {
        SiameseSpec sized = s.withInputDim(meta.featureDim());
        return s.readsTokens() ? sized.withEncoder(s.encoder().withVocabulary(meta.vocabularySize() + 2)) : sized;
    }

    /** A fresh network; a sequence tower starts from the prep's word vectors (the ids its token ids index). */
    private static ComputationGraph initialNetwork(SparkSession spark, SiameseSpec spec, PairSchema.Meta meta) {
        ComputationGraph net = SiameseNetwork.build(spec);
        if (spec.readsTokens()) {
            String artifacts = meta.artifacts();
            String prepDir = artifacts.substring(0, artifacts.lastIndexOf('/'));
            FittedText text = TextFitter.load(spark, prepDir).text();
            SequenceTower.setEmbedding(net, text.vectorsById());
            LOG.info("embedding: {} ids, {} with word vectors from {} ({})", text.idCount(), text.wordsWithVectors(), artifacts,
                    spec.encoder().trainableEmbedding() ? "trainable" : "frozen");
        }
        return net;
    }

    private static void writeManifest(ModelDir dir, SiameseTrainConfig cfg, SiameseSpec spec, PairSchema.Meta meta,
                                      SparkSession spark, ObjectNode timing) {
        ObjectNode m = ModelDir.manifest("siamese", spec, cfg.training(), cfg.data(), meta.json(), spark.sparkContext().master(),
                spark.version(), timing);
        ObjectNode seeds = m.putObject("derived_seeds");
        seeds.put("weight_init", spec.seed());
        seeds.put("data_order", cfg.training().seed());
        m.put("nd4j_threads_per_worker", spark.sparkContext().isLocal() || cfg.training().engine() == TrainingConfig.Engine.LOCAL
                ? String.valueOf(cfg.training().effectiveThreads()) : "executor default (OMP_NUM_THREADS)");
        dir.writeJson(ModelDir.MANIFEST, m);
    }
}
