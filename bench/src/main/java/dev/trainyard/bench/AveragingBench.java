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
import dev.trainyard.train.ParameterAveragingTrainer;
import dev.trainyard.train.Trainer;
import dev.trainyard.train.Trainers;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.zoo.besnet.BesNet;
import dev.trainyard.zoo.besnet.BesNetSpec;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;

/**
 * The measured parts of the parameter-averaging cost model (docs/scaling.md) and its check:
 * <ol>
 * <li>parts: compute per minibatch (single JVM, one ND4J thread per worker), Spark's cost per job and
 * per task (counts over cached RDDs of 1..64 partitions), broadcast and tree-aggregation cost against the size of what
 * is averaged (parameters + updater state), fitted as a + b * floats;</li>
 * <li>check: real Siamese rounds on the workers at each averaging frequency, timed, with DL4J's own
 * per-phase times, beside the round time the parts predict and single-JVM training with the same
 * thread count (the baseline, same run).</li>
 * </ol>
 * Also records BesNet-50's parameter and updater sizes, which the projection needs.
 */
public final class AveragingBench {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.bench");

    private AveragingBench() {
    }

    public record Config(String data, int workers, List<Integer> frequencies, int batchSize, int epochs, int repeats, long seed) {
        public Config {
            frequencies = List.copyOf(frequencies);
            if (workers < 1 || frequencies.isEmpty() || frequencies.stream().anyMatch(f -> f < 1) || batchSize < 1 || epochs < 1 || repeats < 3) {
                throw new IllegalArgumentException("bench averaging needs workers >= 1, frequencies >= 1, batch >= 1, epochs >= 1, repeats >= 3");
            }
        }
    }

    public static ObjectNode run(SparkSession spark, Config cfg) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JsonNode meta = DatasetMetadata.require(new Storage(jsc.hadoopConfiguration()), cfg.data(), PairSchema.DATASET_KIND, PairSchema.VERSION);
        SiameseSpec spec = SiameseSpec.defaults(meta.path("details").path("feature_dim").asInt()).withSeed(cfg.seed());
        ObjectNode out = Json.object();
        out.put("bench", "parameter averaging cost model parts");
        out.set("machine", Machine.describe());
        out.put("run_at", Instant.now().toString());
        out.set("config", Json.MAPPER.valueToTree(cfg));
        out.put("spark_master", jsc.master());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.set("versions", BuildInfo.versions(spark.version()));

        ObjectNode models = out.putObject("models");
        long siameseFloats = averagedFloats(SiameseNetwork.build(spec), models.putObject("siamese"));
        averagedFloats(BesNet.build(BesNetSpec.defaults(400)), models.putObject("besnet50_kinetics400"));

        ObjectNode parts = out.putObject("parts");
        parts.set("spark_job", jobCost(jsc, cfg.repeats()));
        List<Long> sizes = List.of(siameseFloats, 1L << 20, 4L << 20, 16L << 20);
        parts.set("broadcast", linearFit(sizes, s -> broadcastSeconds(jsc, cfg.workers(), s, cfg.repeats()), cfg.workers()));
        parts.set("tree_aggregate", linearFit(sizes, s -> aggregateSeconds(jsc, cfg.workers(), s, cfg.repeats()), cfg.workers()));

        TrainingConfig single = new TrainingConfig(TrainingConfig.Engine.LOCAL, 1, cfg.batchSize(), 1, 2, cfg.epochs(), cfg.seed(), cfg.workers());
        TrainingConfig perWorker = new TrainingConfig(TrainingConfig.Engine.LOCAL, 1, cfg.batchSize(), 1, 2, cfg.epochs(), cfg.seed(), 1);
        ObjectNode baseline = parts.putObject("single_jvm");
        double baselineRate = singleJvm(spark, cfg, spec, single, baseline);
        ObjectNode compute = parts.putObject("compute_per_minibatch");
        singleJvm(spark, cfg, spec, perWorker, compute);

        ArrayNode rounds = out.putArray("rounds");
        for (int f : cfg.frequencies()) {
            rounds.add(averaged(spark, cfg, spec, f, baselineRate, siameseFloats, parts));
        }
        return out;
    }

    /** Floats averaged per round: parameters plus updater state (Adam keeps two per parameter). */
    private static long averagedFloats(ComputationGraph net, ObjectNode into) {
        long params = net.numParams();
        long updater = net.getUpdater().getStateViewArray() == null ? 0 : net.getUpdater().getStateViewArray().length();
        into.put("parameters", params);
        into.put("updater_state", updater);
        into.put("averaged_floats", params + updater);
        into.put("averaged_megabytes", (params + updater) * 4 / 1e6);
        return params + updater;
    }

    /**
     * A job over a cached RDD of n partitions (what a round runs: the fit of W tasks):
     * seconds = per_job + per_task * n (least squares over n).
     */
    private static ObjectNode jobCost(JavaSparkContext jsc, int repeats) {
        List<double[]> points = new ArrayList<>();
        for (int n : new int[]{1, 2, 8, 32, 64}) {
            var rdd = jsc.parallelize(IntStream.range(0, n).boxed().toList(), n).cache();
            rdd.count();
            points.add(new double[]{n, median(repeats, () -> time(rdd::count))});
            rdd.unpersist(true);
        }
        ObjectNode o = fit(points);
        o.put("meaning", "seconds of a count over a cached RDD = intercept + slope * tasks");
        // older results files, from when DL4J also counted each round (two jobs), lack this field
        o.put("jobs_per_round", ParameterAveragingTrainer.SPARK_JOBS_PER_ROUND);
        return o;
    }

    private static double broadcastSeconds(JavaSparkContext jsc, int workers, long floats, int repeats) {
        INDArray v = Nd4j.rand(DataType.FLOAT, floats);
        double empty = emptyJob(jsc, workers, repeats);
        double[] t = new double[repeats + 1];
        for (int i = 0; i <= repeats; i++) {
            // a fresh copy each time: destroying a broadcast closes the INDArray it holds (Spark closes AutoCloseable values)
            INDArray copy = v.dup();
            long t0 = System.nanoTime();
            Broadcast<INDArray> b = jsc.broadcast(copy);
            jsc.parallelize(IntStream.range(0, workers).boxed().toList(), workers).foreach(x -> b.value().length());
            t[i] = (System.nanoTime() - t0) / 1e9;
            b.destroy();
        }
        double[] timed = Arrays.copyOfRange(t, 1, t.length); // the first is the warm-up
        Arrays.sort(timed);
        return Math.max(0, timed[repeats / 2] - empty);
    }

    private static double aggregateSeconds(JavaSparkContext jsc, int workers, long floats, int repeats) {
        double t = median(repeats, () -> time(() -> jsc.parallelize(IntStream.range(0, workers).boxed().toList(), workers)
                .map(x -> Nd4j.ones(DataType.FLOAT, floats))
                .treeAggregate((INDArray) null, (a, b) -> a == null ? b : a.addi(b), (a, b) -> a == null ? b : b == null ? a : a.addi(b), 2)));
        // the tasks also allocate their vector: subtract that, measured alone
        double alloc = median(repeats, () -> time(() -> jsc.parallelize(IntStream.range(0, workers).boxed().toList(), workers)
                .foreach(x -> Nd4j.ones(DataType.FLOAT, floats).close())));
        return Math.max(0, t - alloc);
    }

    private static double emptyJob(JavaSparkContext jsc, int workers, int repeats) {
        return median(repeats, () -> time(() -> jsc.parallelize(IntStream.range(0, workers).boxed().toList(), workers).foreach(x -> { })));
    }

    private interface SizeCost {
        double seconds(long floats);
    }

    /** Cost against size: seconds = intercept + slope * floats, from one median per size. */
    private static ObjectNode linearFit(List<Long> sizes, SizeCost cost, int workers) {
        List<double[]> points = new ArrayList<>();
        for (long s : sizes) {
            points.add(new double[]{s, cost.seconds(s)});
            LOG.info(String.format("%d floats: %.4f s", s, points.get(points.size() - 1)[1]));
        }
        ObjectNode o = fit(points);
        o.put("workers", workers);
        o.put("meaning", "seconds beyond an empty job of the same tasks = intercept + slope * floats averaged");
        return o;
    }

    private static ObjectNode fit(List<double[]> points) {
        double n = points.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double intercept = (sy - slope * sx) / n;
        ObjectNode o = Json.object();
        o.put("intercept_s", intercept);
        o.put("slope_s", slope);
        ArrayNode pts = o.putArray("points");
        for (double[] p : points) {
            pts.addObject().put("x", p[0]).put("seconds", p[1]);
        }
        return o;
    }

    /** Single-JVM fit with the config's threads: pairs/s and seconds per minibatch. */
    private static double singleJvm(SparkSession spark, Config cfg, SiameseSpec spec, TrainingConfig t, ObjectNode into) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (Batches<PairExample> batches = PairBatches.load(spark, cfg.data(), SplitAssigner.TRAIN, PairFeatures.VECTORS,
                cfg.batchSize(), 1, 1, cfg.seed());
             Trainer trainer = Trainers.create(jsc, SiameseNetwork.build(spec), t)) {
            trainer.fitEpoch(batches, (r, n, e, l) -> { });
            double secs = time(() -> {
                for (int i = 0; i < cfg.epochs(); i++) {
                    trainer.fitEpoch(batches, (r, n, e, l) -> { });
                }
            });
            into.put("nd4j_threads", t.effectiveThreads());
            into.put("pairs_per_second", batches.numExamples() * (double) cfg.epochs() / secs);
            into.put("seconds_per_minibatch", secs / (batches.numBatches() * (double) cfg.epochs()));
            into.put("minibatch", cfg.batchSize());
            return into.path("pairs_per_second").asDouble();
        }
    }

    /** Real rounds at frequency f: measured seconds per round, DL4J's phase times, and the parts' prediction. */
    private static ObjectNode averaged(SparkSession spark, Config cfg, SiameseSpec spec, int f, double baselineRate, long floats,
                                       ObjectNode parts) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingConfig t = new TrainingConfig(TrainingConfig.Engine.SPARK, cfg.workers(), cfg.batchSize(), f, 2, cfg.epochs(), cfg.seed());
        ObjectNode o = Json.object();
        try (Batches<PairExample> batches = PairBatches.load(spark, cfg.data(), SplitAssigner.TRAIN, PairFeatures.VECTORS,
                cfg.batchSize(), cfg.workers(), f, cfg.seed());
             Trainer trainer = Trainers.create(jsc, SiameseNetwork.build(spec), t)) {
            trainer.fitEpoch(batches, (r, n, e, l) -> { });
            ((ParameterAveragingTrainer) trainer).collectPhaseTimes();
            double secs = time(() -> {
                for (int i = 0; i < cfg.epochs(); i++) {
                    trainer.fitEpoch(batches, (r, n, e, l) -> { });
                }
            });
            int rounds = batches.layout().rounds() * cfg.epochs();
            double rate = batches.numExamples() * (double) cfg.epochs() / secs;
            double compute = f * parts.path("compute_per_minibatch").path("seconds_per_minibatch").asDouble();
            // one job of W tasks per round (the fit)
            double jobs = ParameterAveragingTrainer.SPARK_JOBS_PER_ROUND * (parts.path("spark_job").path("intercept_s").asDouble()
                    + cfg.workers() * parts.path("spark_job").path("slope_s").asDouble());
            double bcast = at(parts.path("broadcast"), floats);
            double agg = at(parts.path("tree_aggregate"), floats);
            double predicted = compute + jobs + bcast + agg;
            o.put("averaging_frequency", f);
            o.put("workers", cfg.workers());
            o.put("rounds", rounds);
            o.put("measured_seconds_per_round", secs / rounds);
            o.put("pairs_per_second", rate);
            o.put("ratio_to_single_jvm_same_threads", rate / baselineRate);
            ObjectNode p = o.putObject("predicted_seconds_per_round");
            p.put("compute", compute);
            p.put("spark_jobs", jobs);
            p.put("broadcast", bcast);
            p.put("aggregate", agg);
            p.put("total", predicted);
            o.put("predicted_over_measured", predicted / (secs / rounds));
            o.set("dl4j_phase_ms", ((ParameterAveragingTrainer) trainer).phaseTimes());
            LOG.info(String.format("frequency %d: %.4f s/round measured, %.4f predicted; %.0f pairs/s = %.2fx single JVM",
                    f, secs / rounds, predicted, rate, rate / baselineRate));
        }
        return o;
    }

    private static double at(JsonNode linear, long floats) {
        return Math.max(0, linear.path("intercept_s").asDouble() + linear.path("slope_s").asDouble() * floats);
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(int repeats, DoubleSupplier s) {
        s.getAsDouble(); // warm-up
        double[] v = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            v[i] = s.getAsDouble();
        }
        Arrays.sort(v);
        return v[repeats / 2];
    }
}
