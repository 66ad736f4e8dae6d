package dev.trainyard.train.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.JobContext;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.train.Batches;
import dev.trainyard.train.EpochLoop;
import dev.trainyard.train.ModelDir;
import dev.trainyard.train.Trainer;
import dev.trainyard.train.Trainers;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.zoo.besnet.BesNet;
import dev.trainyard.zoo.besnet.BesNetSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.List;

/**
 * Trains BesNet on a prepared clip dataset with the same machinery as every Trainyard model:
 * parameter averaging across Spark tasks (or one JVM), per-epoch dev loss, checkpoints, resume,
 * a manifest and metrics. Random temporal dilation is drawn inside the network per minibatch.
 */
public final class BesNetTrainJob {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.train");
    /** Dev loss is computed on at most this many clips per epoch (collected to the driver). */
    static final int MAX_DEV_CLIPS = 512;

    private BesNetTrainJob() {
    }

    public record Result(ComputationGraph network, ArrayNode epochs, double clipsPerSecond, BesNetSpec spec) {
    }

    public static Result run(SparkSession spark, BesNetTrainConfig cfg) {
        JobContext job = JobContext.start(spark);
        JavaSparkContext jsc = job.jsc();
        Storage storage = job.storage();
        ClipSchema.Meta meta = ClipSchema.meta(storage, cfg.data());
        BesNetSpec spec = fitToData(cfg.spec(), meta);
        ModelDir dir = ModelDir.prepare(storage, cfg.output(), cfg.resume(), cfg.overwrite(), inputs(cfg));
        try {
            Result r = train(spark, jsc, cfg, spec, meta, dir, job.startNanos());
            dir.commit();
            return r;
        } catch (RuntimeException | Error e) {
            dir.abandon();
            throw e;
        }
    }

    /** The inputs the model directory must not overlap. */
    private static java.util.Map<String, String> inputs(BesNetTrainConfig cfg) {
        java.util.Map<String, String> in = new java.util.LinkedHashMap<>();
        in.put("--data", cfg.data());
        in.put("--init", cfg.init());
        return in;
    }

    private static Result train(SparkSession spark, JavaSparkContext jsc, BesNetTrainConfig cfg, BesNetSpec spec, ClipSchema.Meta meta,
                                ModelDir dir, long start) {
        TrainingConfig t = cfg.training();
        Batches<ClipExample> train = ClipBatches.load(spark, meta, "train", t.batchSizePerWorker(),
                t.layoutWorkers(), t.averagingFrequency(), t.seed());
        List<MultiDataSet> dev = devBatches(spark, cfg, meta, t);
        LOG.info("training BesNet-{} on {} clips ({} minibatches, {} averaging rounds per epoch), dev {} minibatches",
                spec.depth(), train.numExamples(), train.numBatches(), train.layout().rounds(), dev.size());

        ArrayNode epochs = cfg.resume() ? dir.epochs() : Json.MAPPER.createArrayNode();
        ModelDir.Start begin = dir.start(cfg.resume(), epochs, () -> initialNetwork(cfg, spec));
        begin.checkpoint().ifPresent(cp -> LOG.info("resuming from {} at epoch {}", cp, begin.firstEpoch()));
        writeManifest(dir, cfg, spec, meta, spark, null);

        EpochLoop.Outcome outcome;
        try (Trainer trainer = Trainers.create(jsc, begin.network(), t)) {
            outcome = EpochLoop.run(trainer, train, net -> EpochLoop.meanLoss(net, dev), dir, epochs, begin, t.epochs(), "clips");
        } finally {
            train.close();
        }
        dir.writeModel(outcome.network());
        writeManifest(dir, cfg, spec, meta, spark, outcome.timing(start));
        return new Result(outcome.network(), epochs, outcome.examplesPerSecond(), spec);
    }

    /** The spec with the dataset's class count, clip length and frame size. */
    static BesNetSpec fitToData(BesNetSpec s, ClipSchema.Meta meta) {
        return s.toBuilder().numClasses(meta.numClasses()).clip(meta.framesPerClip(), meta.height(), meta.width()).build();
    }

    private static ComputationGraph initialNetwork(BesNetTrainConfig cfg, BesNetSpec spec) {
        if (cfg.init() == null) {
            return BesNet.build(spec);
        }
        File f = new File(cfg.init());
        if (!f.isFile()) {
            throw new IllegalArgumentException("--init " + cfg.init() + " does not exist");
        }
        ComputationGraph net = dev.trainyard.zoo.io.ModelFiles.readGraph(f.toPath(), false);
        var out = (OutputLayer) net.getLayer(BesNet.OUTPUT).conf().getLayer();
        if (out.getNOut() != spec.numClasses()) {
            throw new IllegalArgumentException("--init " + f + " classifies " + out.getNOut() + " classes, the data has "
                    + spec.numClasses() + "; inflate with --classes " + spec.numClasses());
        }
        LOG.info("initialised from {}", f);
        return net;
    }

    private static List<MultiDataSet> devBatches(SparkSession spark, BesNetTrainConfig cfg, ClipSchema.Meta meta, TrainingConfig t) {
        if (cfg.devSplit() == null || meta.clips(cfg.devSplit()) == 0) {
            return List.of();
        }
        try (Batches<ClipExample> dev = ClipBatches.load(spark, meta, cfg.devSplit(), 16, 1, 1, t.seed())) {
            return dev.all().take(MAX_DEV_CLIPS / 16);
        }
    }

    private static void writeManifest(ModelDir dir, BesNetTrainConfig cfg, BesNetSpec spec, ClipSchema.Meta meta, SparkSession spark,
                                      ObjectNode timing) {
        ObjectNode m = ModelDir.manifest("besnet", spec, cfg.training(), cfg.data(), meta.json(), spark.sparkContext().master(),
                spark.version(), timing);
        m.put("init", cfg.init());
        ObjectNode seeds = m.putObject("derived_seeds");
        seeds.put("weight_init_and_dilations", spec.seed());
        seeds.put("data_order", cfg.training().seed());
        dir.writeJson(ModelDir.MANIFEST, m);
    }
}
