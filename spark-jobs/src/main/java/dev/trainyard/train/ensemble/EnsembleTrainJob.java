package dev.trainyard.train.ensemble;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.JobContext;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.OutputDir;
import dev.trainyard.prep.common.OutputKind;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.images.ImageSchema;
import dev.trainyard.train.BuildInfo;
import dev.trainyard.train.Batches;
import dev.trainyard.train.LocalTrainer;
import dev.trainyard.train.Nd4jThreads;
import dev.trainyard.train.Trainer;
import dev.trainyard.train.Trainers;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.zoo.ensemble.ConvNetSpec;
import dev.trainyard.zoo.ensemble.Ensemble;
import dev.trainyard.zoo.ensemble.Fgsm;
import dev.trainyard.zoo.ensemble.MemberSampling;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Trains N ensemble members in parallel, one Spark task per member (or, for large data, one after
 * another by parameter averaging, {@code --member-workers}): the training images are
 * broadcast once, each task draws its member's sample (seeded by run seed and member index, so it
 * is recorded), trains a ConvNet and returns it. A failed task is retried by Spark on its own; the
 * other members are not restarted. The driver saves one ensemble artifact and a manifest.
 */
public final class EnsembleTrainJob {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.train");
    public static final String ARTIFACT = "ensemble.zip";

    private EnsembleTrainJob() {
    }

    /** One trained member, as bytes that travel back to the driver. */
    record Member(int index, long seed, int examples, double finalLoss, double[] epochLosses, double seconds, byte[] model) implements Serializable {
    }

    public static Ensemble run(SparkSession spark, EnsembleTrainConfig cfg) {
        JobContext job = JobContext.start(spark);
        JavaSparkContext jsc = job.jsc();
        Storage storage = job.storage();
        ImageSchema.Meta meta = ImageSchema.meta(storage, cfg.data());
        // refused before any member trains: an existing output, or one overlapping the data
        OutputDir.check(storage, cfg.output(), cfg.overwrite(), OutputKind.MODEL, Map.of("--data", cfg.data()));
        ImageBatches train = load(spark, meta, "train");
        LOG.info("training {} members ({}) on {} images, one task each", cfg.members(), cfg.sampling(), train.size());
        Broadcast<ImageBatches> data = jsc.broadcast(train);
        if (jsc.isLocal()) {
            Nd4jThreads.set(Nd4jThreads.fairShare(Math.min(cfg.members(), jsc.defaultParallelism())));
        }
        List<Integer> ids = IntStream.range(0, cfg.members()).boxed().toList();
        List<Member> members = cfg.memberWorkers() > 0
                ? trainAveraged(jsc, data, train.size(), cfg)
                : new ArrayList<>(jsc.parallelize(ids, cfg.members()).map(m -> trainMember(m, data.value(), cfg)).collect());
        data.destroy();
        members.sort((a, b) -> Integer.compare(a.index(), b.index()));
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (Member m : members) {
            nets.add(dev.trainyard.zoo.io.ModelFiles.readMultiLayer(m.model(), "member " + m.index()));
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("sampling", cfg.sampling().name().toLowerCase(java.util.Locale.ROOT));
        info.put("sample_fraction", cfg.sampleFraction());
        info.put("seed", cfg.seed());
        info.put("member_seeds", members.stream().map(Member::seed).toList());
        Ensemble ensemble = new Ensemble(nets, cfg.combiner(), info);
        OutputDir.write(storage, cfg.output(), cfg.overwrite(), OutputKind.MODEL, Map.of("--data", cfg.data()), out -> {
            try {
                storage.writeAtomically(out + "/" + ARTIFACT, ensemble::save);
                ObjectNode manifest = manifest(cfg, memberSpec(cfg, train), members, spark, job.seconds());
                storage.writeText(out + "/" + dev.trainyard.train.ModelDir.MANIFEST, Json.write(manifest));
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + cfg.output(), e);
            }
        });
        LOG.info(String.format("ensemble of %d written to %s in %.1f s", members.size(), cfg.output(), job.seconds()));
        return ensemble;
    }

    /** The configured member architecture, sized to the images and classes of the data. */
    static ConvNetSpec memberSpec(EnsembleTrainConfig cfg, ImageBatches data) {
        return cfg.member().forImages(data.height(), data.width(), data.numClasses());
    }

    /**
     * One member inside one task: its sample, reshuffled every epoch, fitted minibatch by minibatch by the
     * in-JVM loop every single-JVM trainer uses.
     */
    static Member trainMember(int m, ImageBatches data, EnsembleTrainConfig cfg) {
        long t0 = System.nanoTime();
        long seed = cfg.seed() + m;
        ConvNetSpec spec = memberSpec(cfg, data).withSeed(seed);
        ConvNetSpec.Trainable net = spec.buildTrainable();
        int[] sample = cfg.sampling().indices(data.size(), cfg.sampleFraction(), cfg.seed(), m);
        SplittableRandom shuffle = new SplittableRandom(seed);
        UnaryOperator<MultiDataSet> before = cfg.adversarialEpsilon() > 0
                ? b -> withFgsmExamples(net.layers(), b, cfg.adversarialEpsilon()) : UnaryOperator.identity();
        double[] epochLosses = new double[cfg.epochs()];
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            shuffleInPlace(sample, shuffle);
            List<int[]> batches = minibatches(sample, cfg.batchSize());
            Iterable<MultiDataSet> made = () -> batches.stream().map(b -> toMulti(data.batch(b, 0, b.length))).iterator();
            epochLosses[epoch] = LocalTrainer.fitInOrder(net.graph(), made, batches.size(), before, (r, n, x, l) -> { });
            net.graph().incrementEpochCount();
        }
        return member(m, seed, sample.length, net.graph(), epochLosses, t0, spec);
    }

    /**
     * Members one after another, each trained by the configured distribution strategy over the executors
     * ({@link Trainers}, parameter averaging): the member's sample is shuffled per epoch on the driver (indices
     * only) and laid out as {@link Batches} that the executors build from the broadcast images.
     */
    static List<Member> trainAveraged(JavaSparkContext jsc, Broadcast<ImageBatches> data, int size, EnsembleTrainConfig cfg) {
        List<Member> out = new ArrayList<>();
        for (int m = 0; m < cfg.members(); m++) {
            long t0 = System.nanoTime();
            long seed = cfg.seed() + m;
            ConvNetSpec spec = memberSpec(cfg, data.value()).withSeed(seed);
            TrainingConfig training = new TrainingConfig(TrainingConfig.Engine.SPARK, cfg.memberWorkers(), cfg.batchSize(),
                    cfg.memberAveragingFrequency(), 2, cfg.epochs(), seed);
            int[] sample = cfg.sampling().indices(size, cfg.sampleFraction(), cfg.seed(), m);
            SplittableRandom shuffle = new SplittableRandom(seed);
            double[] epochLosses = new double[cfg.epochs()];
            try (Trainer trainer = Trainers.create(jsc, spec.buildTrainable().graph(), training)) {
                for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                    shuffleInPlace(sample, shuffle);
                    List<Integer> order = java.util.Arrays.stream(sample).boxed().toList();
                    try (Batches<Integer> batches = Batches.fromOrdered(jsc.parallelize(order, training.layoutWorkers()),
                            cfg.batchSize(), training.layoutWorkers(), cfg.memberAveragingFrequency(),
                            ex -> toMulti(data.value().batch(ex.stream().mapToInt(Integer::intValue).toArray(), 0, ex.size())))) {
                        epochLosses[epoch] = trainer.fitEpoch(batches, (r, n, x, l) -> { });
                    }
                }
                out.add(member(m, seed, sample.length, trainer.network(), epochLosses, t0, spec));
            }
            LOG.info(String.format("member %d/%d trained by parameter averaging over %d workers in %.1f s", m + 1, cfg.members(),
                    cfg.memberWorkers(), (System.nanoTime() - t0) / 1e9));
        }
        return out;
    }

    private static List<int[]> minibatches(int[] order, int batchSize) {
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            batches.add(java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)));
        }
        return batches;
    }

    private static MultiDataSet toMulti(DataSet d) {
        return new org.nd4j.linalg.dataset.MultiDataSet(d.getFeatures(), d.getLabels());
    }

    /** A trained member as bytes for the driver: the layer stack over the trained graph's parameters. */
    private static Member member(int m, long seed, int examples, ComputationGraph trained, double[] epochLosses, long t0,
                                 ConvNetSpec spec) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(spec.layersOver(trained), bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Member(m, seed, examples, trained.score(), epochLosses, (System.nanoTime() - t0) / 1e9, bytes.toByteArray());
    }

    private static void shuffleInPlace(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * The batch and its FGSM examples against the current network, fitted as one batch: the loss is
     * the mean of the clean and the adversarial loss (Goodfellow et al.'s alpha = 0.5).
     */
    static MultiDataSet withFgsmExamples(MultiLayerNetwork net, MultiDataSet batch, double epsilon) {
        INDArray x = batch.getFeatures(0);
        INDArray y = batch.getLabels(0);
        INDArray adv = Fgsm.perturb(net, x, y, epsilon, 0, 1);
        return new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.concat(0, x, adv), Nd4j.concat(0, y, y));
    }

    /** A split of a prepared image dataset, collected on the driver (ordered by file and index). */
    public static ImageBatches load(SparkSession spark, ImageSchema.Meta meta, String split) {
        String data = meta.dataset();
        int numClasses = meta.numClasses();
        List<Row> rows = ImageSchema.read(spark, data, split)
                .orderBy("source_file", "index").select("pixels", "label", "height", "width").collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("split '" + split + "' of " + data + " has no images");
        }
        byte[][] px = new byte[rows.size()][];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte[]) rows.get(i).get(0);
            labels[i] = rows.get(i).getInt(1);
        }
        return new ImageBatches(px, labels, rows.get(0).getInt(2), rows.get(0).getInt(3), numClasses);
    }

    private static ObjectNode manifest(EnsembleTrainConfig cfg, ConvNetSpec member, List<Member> members,
                                       SparkSession spark, double seconds) {
        ObjectNode m = Json.object();
        m.put("model", "ensemble");
        m.put("format_version", dev.trainyard.train.ModelDir.FORMAT_VERSION);
        m.put("written_at", Instant.now().toString());
        m.set("config", Json.MAPPER.valueToTree(cfg));
        m.set("member_spec", Json.MAPPER.valueToTree(member));
        ArrayNode list = m.putArray("members");
        for (Member x : members) {
            ObjectNode o = list.addObject();
            o.put("index", x.index());
            o.put("seed", x.seed());
            o.put("sample", cfg.sampling() == MemberSampling.BOOTSTRAP
                    ? "bootstrap: " + x.examples() + " indices drawn with replacement from (seed " + cfg.seed() + ", member " + x.index() + ")"
                    : "all " + x.examples() + " training images");
            o.put("final_minibatch_loss", x.finalLoss());
            o.set("epoch_train_loss", Json.MAPPER.valueToTree(x.epochLosses()));
            o.put("seconds", x.seconds());
        }
        ArrayNode epochs = m.putArray("epochs"); // the members' mean, for the report's learning curve
        for (int e = 0; e < cfg.epochs(); e++) {
            double sum = 0;
            for (Member x : members) {
                sum += x.epochLosses()[e];
            }
            epochs.addObject().put("epoch", e + 1).put("train_loss", sum / members.size());
        }
        m.put("seconds", seconds);
        m.put("spark_master", spark.sparkContext().master());
        m.set("versions", BuildInfo.versions(spark.version()));
        return m;
    }
}
