package dev.trainyard.train;

import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.zoo.siamese.SequenceEncoder;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterAveragingIT {
    private static final int DIM = 12;
    private final SparkSession spark = LocalSpark.get();
    private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    /** Learnable pairs: duplicates are noisy copies, non-duplicates are independent vectors. */
    static List<PairExample> pairs(int n, long seed) {
        Random r = new Random(seed);
        List<PairExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] a = new float[DIM];
            float[] b = new float[DIM];
            boolean dup = r.nextDouble() < 0.4;
            for (int d = 0; d < DIM; d++) {
                a[d] = (float) r.nextGaussian();
                b[d] = dup ? a[d] + 0.3f * (float) r.nextGaussian() : (float) r.nextGaussian();
            }
            out.add(new PairExample("p" + i, a, b, dup ? 1 : 0));
        }
        return out;
    }

    private Batches<PairExample> batches(List<PairExample> examples, int batch, int workers, int freq) {
        JavaRDD<PairExample> rdd = jsc.parallelize(examples, 3);
        return PairBatches.fromExamples(rdd, PairFeatures.VECTORS, batch, workers, freq);
    }

    @ParameterizedTest
    @EnumSource(SiameseSpec.Updater.class)
    void oneWorkerAveragingEveryStepGivesTheParametersOfSingleMachineTraining(SiameseSpec.Updater updater) {
        SiameseSpec spec = SiameseSpec.defaults(DIM).withHidden(List.of(16, 16)).withUpdater(updater, 0.01).withSeed(3);
        TrainingConfig cfg = new TrainingConfig(TrainingConfig.Engine.SPARK, 1, 16, 1, 2, 2, 7);
        try (Batches<PairExample> data = batches(pairs(160, 1), 16, 1, 1)) {
            assertEquals(10, data.layout().rounds(), "averaging after every one of the 10 minibatches");
            ComputationGraph distributed = SiameseNetwork.build(spec);
            ComputationGraph local = SiameseNetwork.build(spec);
            assertEquals(distributed.params(), local.params());
            Trainer spark = new ParameterAveragingTrainer(jsc, distributed, cfg);
            Trainer single = new LocalTrainer(local);
            for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                spark.fitEpoch(data, (r, n, e, l) -> { });
                single.fitEpoch(data, (r, n, e, l) -> { });
            }
            INDArray a = spark.network().params();
            INDArray b = single.network().params();
            double maxDiff = a.sub(b).amaxNumber().doubleValue();
            double moved = a.sub(SiameseNetwork.build(spec).params()).amaxNumber().doubleValue();
            assertTrue(moved > 1e-3, "training must move the parameters (moved " + moved + ")");
            // same float operations in the same order: equal to float rounding
            assertTrue(maxDiff < 1e-5, updater + ": max |distributed - local| = " + maxDiff);
        }
    }

    /** Token-id pairs of varying length (so batches carry padding masks): duplicates share most tokens. */
    static List<PairExample> tokenPairs(int n, long seed) {
        Random r = new Random(seed);
        List<PairExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] a = new float[3 + r.nextInt(6)];
            for (int t = 0; t < a.length; t++) {
                a[t] = 2 + r.nextInt(40);
            }
            boolean dup = r.nextDouble() < 0.4;
            float[] b = dup ? a.clone() : new float[2 + r.nextInt(7)];
            for (int t = 0; t < b.length; t++) {
                if (!dup || r.nextDouble() < 0.2) {
                    b[t] = 2 + r.nextInt(40);
                }
            }
            out.add(new PairExample("t" + i, a, b, dup ? 1 : 0));
        }
        return out;
    }

    /**
     * SGD, not Adam: on ND4J's oneDNN build the LSTM's products round differently with a different
     * OpenMP thread count, and the Spark task thread need not have the test thread's count (another
     * test may have set it on that pooled thread). Adam turns a 1-ulp difference in a near-zero
     * gradient into a whole learning-rate step (0.01 here); SGD keeps it at 1e-7. The test thread is
     * set to one thread so the case is exercised whatever ran before.
     */
    @Test
    void theSequenceTowerWithPaddingMasksAlsoAveragesToSingleMachineTraining() {
        int threads = Nd4jThreads.current();
        Nd4jThreads.set(1);
        try {
            sequenceTowerAveragesToSingleMachineTraining();
        } finally {
            Nd4jThreads.set(threads);
        }
    }

    private void sequenceTowerAveragesToSingleMachineTraining() {
        SiameseSpec spec = SiameseSpec.defaults(DIM).withHidden(List.of(16)).withUpdater(SiameseSpec.Updater.SGD, 0.05).withSeed(4)
                .withEncoder(new SequenceEncoder(42, true, 8, 8, 8, 3));
        TrainingConfig cfg = new TrainingConfig(TrainingConfig.Engine.SPARK, 1, 16, 1, 2, 2, 7);
        JavaRDD<PairExample> rdd = jsc.parallelize(tokenPairs(128, 3), 3);
        try (Batches<PairExample> data = PairBatches.fromExamples(rdd, PairFeatures.of(spec), 16, 1, 1)) {
            Trainer spark = new ParameterAveragingTrainer(jsc, SiameseNetwork.build(spec), cfg);
            Trainer single = new LocalTrainer(SiameseNetwork.build(spec));
            for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                spark.fitEpoch(data, (r, n, e, l) -> { });
                single.fitEpoch(data, (r, n, e, l) -> { });
            }
            INDArray a = spark.network().params();
            double moved = a.sub(SiameseNetwork.build(spec).params()).amaxNumber().doubleValue();
            double maxDiff = a.sub(single.network().params()).amaxNumber().doubleValue();
            assertTrue(moved > 1e-3, "training must move the parameters (moved " + moved + ")");
            assertTrue(maxDiff < 1e-5, "max |distributed - local| = " + maxDiff);
        }
    }

    @Test
    void withTwoWorkersTheTrainingLossFalls() {
        SiameseSpec spec = SiameseSpec.defaults(DIM).withHidden(List.of(32, 32)).withUpdater(SiameseSpec.Updater.ADAM, 0.005).withSeed(5);
        TrainingConfig cfg = new TrainingConfig(TrainingConfig.Engine.SPARK, 2, 32, 2, 2, 6, 7);
        try (Batches<PairExample> data = batches(pairs(1024, 2), 32, 2, 2)) {
            Trainer trainer = new ParameterAveragingTrainer(jsc, SiameseNetwork.build(spec), cfg);
            List<Double> losses = new ArrayList<>();
            for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                losses.add(trainer.fitEpoch(data, (r, n, e, l) -> { }));
            }
            for (int i = 1; i < losses.size(); i++) {
                assertTrue(losses.get(i) < losses.get(i - 1), "loss falls every epoch: " + losses);
            }
            assertTrue(losses.get(losses.size() - 1) < 0.7 * losses.get(0), "losses per epoch: " + losses);
        }
    }

    /**
     * One Spark job per averaging round (the workers' fits and the tree aggregation): DL4J's own
     * count of each round's data before it (a second job that builds every minibatch again) is
     * skipped, and the minibatch count in DL4J's statistics comes from the layout instead.
     */
    @Test
    void eachRoundIsOneSparkJob() throws Exception {
        SiameseSpec spec = SiameseSpec.defaults(DIM).withHidden(List.of(8)).withSeed(6);
        TrainingConfig cfg = new TrainingConfig(TrainingConfig.Engine.SPARK, 2, 16, 2, 2, 1, 7);
        try (Batches<PairExample> data = batches(pairs(200, 4), 16, 2, 2)) {
            int rounds = data.layout().rounds();
            assertEquals(4, rounds, "13 minibatches, 4 a round");
            ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(jsc, SiameseNetwork.build(spec), cfg);
            trainer.collectPhaseTimes();
            String group = "rounds-" + System.nanoTime();
            jsc.setJobGroup(group, "one epoch of parameter averaging");
            try {
                trainer.fitEpoch(data, (r, n, e, l) -> { });
            } finally {
                jsc.clearJobGroup();
            }
            // the status tracker hears of jobs through Spark's listener bus: wait for it to catch up
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (jsc.statusTracker().getJobIdsForGroup(group).length < rounds && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300);
            assertEquals(rounds, jsc.statusTracker().getJobIdsForGroup(group).length, "Spark jobs in one epoch of " + rounds + " rounds");
            var phases = trainer.phaseTimes();
            assertEquals(rounds, phases.path("ParameterAveragingMasterFitTimesMs").path("events").asInt(), phases.toString());
            assertTrue(phases.path("ParameterAveragingMasterCountRddSizeTimesMs").path("events").asInt(0) == 0,
                    "DL4J counted the data: " + phases);
        }
    }
}
