package dev.trainyard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.eval.PairScorer;
import dev.trainyard.ml.ClipModel;
import dev.trainyard.ml.ImageEnsembleModel;
import dev.trainyard.ml.ModelSource;
import dev.trainyard.ml.SiameseModel;
import dev.trainyard.ml.TrainyardModel;
import dev.trainyard.predict.PredictJob;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.images.ImagePrepConfig;
import dev.trainyard.prep.images.ImagePrepJob;
import dev.trainyard.prep.images.ImageSchema;
import dev.trainyard.prep.images.SyntheticImages;
import dev.trainyard.prep.text.PairFormat;
import dev.trainyard.prep.text.PairPrepConfig;
import dev.trainyard.prep.text.PairPrepJob;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import dev.trainyard.prep.video.AnnotationFormat;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.prep.video.FrameGeometry;
import dev.trainyard.prep.video.FrameSampler;
import dev.trainyard.prep.video.SyntheticVideoGenerator;
import dev.trainyard.prep.video.VideoPrepConfig;
import dev.trainyard.prep.video.VideoPrepJob;
import dev.trainyard.train.ModelDir;
import dev.trainyard.train.Nd4jThreads;
import dev.trainyard.train.PairExample;
import dev.trainyard.train.PairFeatures;
import dev.trainyard.train.SiameseTrainConfig;
import dev.trainyard.train.SiameseTrainJob;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.train.ensemble.EnsembleTrainConfig;
import dev.trainyard.train.ensemble.EnsembleTrainJob;
import dev.trainyard.train.video.BesNetTrainConfig;
import dev.trainyard.train.video.BesNetTrainJob;
import dev.trainyard.train.video.ClipBatches;
import dev.trainyard.train.video.ClipExample;
import dev.trainyard.zoo.besnet.BesNetSpec;
import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.ConvNetSpec;
import dev.trainyard.zoo.ensemble.Ensemble;
import dev.trainyard.zoo.ensemble.MemberSampling;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code trainyard bench predict}: rows/s of scoring through the Spark ML models ({@code trainyard predict}'s path)
 * on the session's executors, against one JVM calling DL4J's {@code output()} in a loop over the same rows in the
 * same minibatches, at each ND4J thread count up to the cores, best taken. Both score rows already in memory (a
 * cached DataFrame; a list on the driver). Each family gets a small model trained here on SYNTHETIC data first.
 */
public final class PredictBench {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.bench");

    private PredictBench() {
    }

    /**
     * @param pairs  question pairs scored (Siamese)
     * @param images images scored (ensemble)
     * @param videos synthetic videos per class (BesNet; 10 classes, 2 clips each)
     * @param repeats timed runs of each side; the best is reported
     * @param families which of siamese, ensemble, besnet to run
     */
    public record Config(int pairs, int images, int videos, int repeats, long seed, Path work, List<String> families) {
    }

    public static ObjectNode run(SparkSession spark, Config cfg) throws IOException {
        Files.createDirectories(cfg.work());
        ObjectNode out = Json.object();
        out.put("bench", "predict");
        out.set("machine", Machine.describe());
        out.put("spark_master", spark.sparkContext().master());
        out.put("executor_cores", spark.sparkContext().defaultParallelism());
        out.put("repeats", cfg.repeats());
        ArrayNode families = out.putArray("families");
        if (cfg.families().contains("siamese")) {
            families.add(siamese(spark, cfg));
        }
        if (cfg.families().contains("ensemble")) {
            families.add(ensemble(spark, cfg));
        }
        if (cfg.families().contains("besnet")) {
            families.add(besnet(spark, cfg));
        }
        return out;
    }

    private static ObjectNode siamese(SparkSession spark, Config cfg) throws IOException {
        Path raw = cfg.work().resolve("pairs.tsv");
        SyntheticPairGenerator.write(raw, cfg.pairs(), 0.37, cfg.seed());
        String data = cfg.work().resolve("pairs").toString();
        String model = cfg.work().resolve("siamese").toString();
        PairPrepJob.run(spark, new PairPrepConfig(List.of(raw.toString()), PairFormat.QUORA, data,
                dev.trainyard.prep.text.SplitFractions.parse("0.8,0.1,0.1"), cfg.seed(), 10, null, 32, 1, null, true,
                dev.trainyard.prep.common.ParquetWriterKind.COLUMNAR));
        SiameseTrainJob.run(spark, new SiameseTrainConfig(data, model, SiameseSpec.defaults(32).withHidden(List.of(128, 128, 128)),
                new TrainingConfig(TrainingConfig.Engine.LOCAL, 1, 64, 1, 1, 1, cfg.seed()), false, true));
        dev.trainyard.eval.DecisionRule.record(spark, storage(spark), model, data);
        SiameseModel m = (SiameseModel) TrainyardModel.of(spark, source(spark, model), null);
        String[] cols = PairFeatures.of(m.spec()).featureColumns();
        Dataset<Row> rows = PairSchema.read(spark, data, "train").unionByName(PairSchema.read(spark, data, "test"))
                .select(PairSchema.PAIR_ID, cols[0], cols[1]);
        SiameseModel features = m.copy(new org.apache.spark.ml.param.ParamMap()).setInputMode(SiameseModel.FEATURES)
                .setQuestion1Col(cols[0]).setQuestion2Col(cols[1]);
        ComputationGraph net = new ModelDir(storage(spark), model).readModel();
        PairFeatures f = PairFeatures.of(m.spec());
        boolean higher = SiameseNetwork.higherMeansDuplicate(m.spec().head());
        return compare(spark, "siamese", "pairs", rows, features, 512, batch -> {
            List<PairExample> examples = new ArrayList<>(batch.size());
            for (Row r : batch) {
                examples.add(f.fromColumns("", r, 1, 2));
            }
            PairScorer.scores(net, f, examples, higher);
        }, cfg);
    }

    private static ObjectNode ensemble(SparkSession spark, Config cfg) throws IOException {
        Path images = cfg.work().resolve("images.idx");
        Path labels = cfg.work().resolve("labels.idx");
        SyntheticImages.write(Files.newOutputStream(images), Files.newOutputStream(labels), cfg.images(), 10, 28, cfg.seed());
        String data = cfg.work().resolve("images").toString();
        String model = cfg.work().resolve("ensemble").toString();
        ImagePrepJob.run(spark, new ImagePrepConfig(List.of(images.toString()), List.of(labels.toString()), data, "train", 0, 10,
                cfg.seed(), true));
        EnsembleTrainJob.run(spark, new EnsembleTrainConfig(data, model, 3, MemberSampling.UNIFORM, 1.0,
                ConvNetSpec.mnist(cfg.seed()).withSize(List.of(16, 32), 64), Combiner.MEAN, 1, 64, cfg.seed(), 0, 0, 5, true));
        ImageEnsembleModel m = (ImageEnsembleModel) TrainyardModel.of(spark, source(spark, model), null);
        Dataset<Row> rows = ImageSchema.read(spark, data, "train").select("index", "pixels");
        Ensemble e;
        try {
            e = Ensemble.read(new ByteArrayInputStream(Files.readAllBytes(Path.of(model, EnsembleTrainJob.ARTIFACT))), model);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return compare(spark, "ensemble", "images", rows, m, 500, batch -> {
            float[][] x = new float[batch.size()][];
            for (int i = 0; i < x.length; i++) {
                byte[] p = (byte[]) batch.get(i).get(1);
                x[i] = new float[p.length];
                for (int j = 0; j < p.length; j++) {
                    x[i][j] = (p[j] & 0xff) / 255f;
                }
            }
            e.output(Nd4j.create(x).reshape(x.length, 1, 28, 28), Combiner.MEAN);
        }, cfg);
    }

    private static ObjectNode besnet(SparkSession spark, Config cfg) throws IOException {
        Path videos = cfg.work().resolve("videos");
        SyntheticVideoGenerator.write(new SyntheticVideoGenerator.Config(videos, cfg.videos(), 24, 25, 48, 48, false, 1.0, cfg.seed()));
        String clips = cfg.work().resolve("clips").toString();
        VideoPrepJob.run(spark, new VideoPrepConfig(videos.resolve("annotations.csv").toString(), AnnotationFormat.KINETICS_CSV,
                videos.resolve("videos").toString(), videos.resolve("classes.txt").toString(), clips,
                new FrameSampler(8, 2, FrameSampler.Mode.STRIDED, FrameSampler.Start.RANDOM, 2, 0), new FrameGeometry(40, 40, 40),
                ClipSchema.JPEG, 90, null, 25, cfg.seed(), true));
        String model = cfg.work().resolve("besnet").toString();
        BesNetTrainJob.run(spark, new BesNetTrainConfig(clips, model, BesNetSpec.tiny(10, 8, 40), null, null,
                new TrainingConfig(TrainingConfig.Engine.LOCAL, 1, 8, 1, 1, 1, cfg.seed()), false, true));
        ClipModel m = (ClipModel) TrainyardModel.of(spark, source(spark, model), null);
        Dataset<Row> rows = ClipSchema.read(spark, clips, "train");
        ComputationGraph net = new ModelDir(storage(spark), model).readModel();
        int classes = m.shape().classNames().size();
        return compare(spark, "besnet", "clips", rows.select(ClipSchema.VIDEO_ID, ClipSchema.LABEL_INDEX, ClipSchema.CLIP_INDEX,
                ClipSchema.HEIGHT, ClipSchema.WIDTH, ClipSchema.ENCODING, ClipSchema.FRAMES), m, 8, batch -> {
            List<ClipExample> examples = batch.stream().map(ClipBatches::toExample).toList();
            net.outputSingle(false, ClipBatches.toMultiDataSet(examples, classes).getFeatures(0));
        }, cfg);
    }

    /** Times the Spark ML model over the cached rows and the plain JVM loop over the same rows collected, best of the repeats. */
    private static ObjectNode compare(SparkSession spark, String family, String unit, Dataset<Row> rows, TrainyardModel<?> model,
                                      int batch, Consumer<List<Row>> scoreBatch, Config cfg) {
        Dataset<Row> cached = PredictJob.spread(spark, rows).persist(StorageLevel.MEMORY_ONLY());
        long n = cached.count();
        int executors = spark.sparkContext().defaultParallelism();
        // each executor's tasks get one core's share of ND4J threads, as the training jobs give their workers
        Nd4jThreads.set(Nd4jThreads.fairShare(executors));
        double sparkBest = Double.MAX_VALUE;
        double sparkCores = 0;
        for (int r = 0; r <= cfg.repeats(); r++) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            model.transform(cached).write().format("noop").mode("overwrite").save();
            double secs = (System.nanoTime() - t0) / 1e9;
            if (r > 0 && secs < sparkBest) { // the first run warms up (class loading, JIT, the broadcast)
                sparkBest = secs;
                sparkCores = (cpuNanos() - c0) / 1e9 / secs;
            }
        }
        List<Row> local = cached.collectAsList();
        ObjectNode jvm = Json.object();
        double jvmBest = Double.MAX_VALUE;
        double jvmCores = 0;
        int bestThreads = 0;
        int cores = Runtime.getRuntime().availableProcessors();
        for (int threads = 1; threads <= cores; threads *= 2) {
            Nd4jThreads.set(threads);
            double best = Double.MAX_VALUE;
            double busy = 0;
            for (int r = 0; r <= cfg.repeats(); r++) {
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                for (int from = 0; from < local.size(); from += batch) {
                    scoreBatch.accept(local.subList(from, Math.min(local.size(), from + batch)));
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                if (r > 0 && secs < best) {
                    best = secs;
                    busy = (cpuNanos() - c0) / 1e9 / secs;
                }
            }
            jvm.put("threads_" + threads + "_rows_per_second", n / best);
            jvm.put("threads_" + threads + "_cores_busy", busy);
            if (best < jvmBest) {
                jvmBest = best;
                jvmCores = busy;
                bestThreads = threads;
            }
        }
        cached.unpersist(true);
        ObjectNode o = Json.object();
        o.put("family", family);
        o.put("unit", unit);
        o.put("rows", n);
        o.put("minibatch", batch);
        o.put("spark_rows_per_second", n / sparkBest);
        // process CPU seconds per wall second during the best run: how many cores each side kept busy
        o.put("spark_cores_busy", sparkCores);
        o.put("single_jvm_cores_busy", jvmCores);
        o.put("single_jvm_rows_per_second", n / jvmBest);
        o.put("single_jvm_best_threads", bestThreads);
        o.set("single_jvm", jvm);
        o.put("ratio", jvmBest / sparkBest);
        LOG.info(String.format("bench predict %s: Spark %.0f %s/s, single JVM %.0f %s/s (%d threads): %.2fx", family, n / sparkBest, unit,
                n / jvmBest, unit, bestThreads, jvmBest / sparkBest));
        return o;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Storage storage(SparkSession spark) {
        return new Storage(spark.sparkContext().hadoopConfiguration());
    }

    private static ModelSource source(SparkSession spark, String model) {
        return ModelSource.resolve(storage(spark), model);
    }
}
