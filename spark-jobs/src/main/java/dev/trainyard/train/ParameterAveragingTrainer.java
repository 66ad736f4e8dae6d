package dev.trainyard.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * DL4J parameter averaging on Spark, one averaging round per {@code fit} call: each of W tasks
 * fits its F minibatches from the broadcast parameters, then parameters and updater state are
 * averaged (treeAggregate) on the driver. Trainyard hands DL4J one round at a time, already laid
 * out by {@link RoundLayout}, so DL4J never re-splits or repartitions the data, nor counts it
 * ({@link RoundTrainingMaster}).
 */
public final class ParameterAveragingTrainer implements Trainer {
    /** Spark jobs one averaging round runs: the fit ({@link RoundTrainingMaster} skips DL4J's count). The cost model uses it. */
    public static final int SPARK_JOBS_PER_ROUND = 1;
    private final SparkComputationGraph spark;
    private final RoundTrainingMaster master;
    private final TrainingConfig cfg;
    private final IterationCountHook counts = new IterationCountHook();

    public ParameterAveragingTrainer(JavaSparkContext jsc, ComputationGraph net, TrainingConfig cfg) {
        this.cfg = cfg;
        ParameterAveragingTrainingMaster.Builder builder = master(cfg.workers(), cfg.batchSizePerWorker(), cfg.averagingFrequency(), cfg.seed());
        if (cfg.approach() == TrainingConfig.Approach.EXPORT) {
            builder.rddTrainingApproach(RDDTrainingApproach.Export);
            if (cfg.exportDir() != null) {
                builder.exportDirectory(cfg.exportDir());
            }
        }
        builder.aggregationDepth(cfg.aggregationDepth())
                // The rounds come from an RDD Trainyard already caches; persisting each round again would leak.
                .storageLevel(null)
                .trainingHooks(counts, new WorkerThreadsHook(jsc.isLocal() ? cfg.effectiveThreads() : 0));
        this.master = new RoundTrainingMaster(builder);
        this.spark = new SparkComputationGraph(jsc, net, master);
    }

    /** The settings every Trainyard use of DL4J's parameter averaging shares. */
    private static ParameterAveragingTrainingMaster.Builder master(int workers, int batchSize, int averagingFrequency, long seed) {
        return new ParameterAveragingTrainingMaster.Builder(workers, batchSize)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(averagingFrequency)
                // The builder's field default is false although its Javadoc says true: Adam needs its state kept.
                .saveUpdater(true)
                .repartionData(Repartition.Never)
                // Direct works everywhere; Export (TrainingConfig.approach) needs a file system every executor reads
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(seed);
    }

    @Override
    public double fitEpoch(Batches<?> batches, RoundListener listener) {
        int rounds = batches.layout().rounds();
        int epochCount = spark.getNetwork().getEpochCount();
        double sum = 0;
        long batchesPerRound = batches.layout().batchesPerRound();
        long perRound = batchesPerRound * cfg.batchSizePerWorker();
        for (int r = 0; r < rounds; r++) {
            counts.startRoundAt(spark.getNetwork().getConfiguration().getIterationCount(), epochCount);
            master.nextRound((int) Math.min(batchesPerRound, batches.numBatches() - r * batchesPerRound));
            spark.fitMultiDataSet(batches.round(r));
            double loss = spark.getScore();
            sum += loss;
            listener.onRound(r + 1, rounds, Math.min(batches.numExamples(), (r + 1) * perRound), loss);
        }
        // fitMultiDataSet counts every round as an epoch; keep DL4J's counter meaning "epochs"
        spark.getNetwork().getConfiguration().setEpochCount(epochCount + 1);
        return sum / rounds;
    }

    /** Records DL4J's per-phase timings (broadcast, worker fit, aggregation, ...) from now on: see {@link #phaseTimes()}. */
    public void collectPhaseTimes() {
        // DL4J stamps events with an NTP clock by default (0.pool.ntp.org, retried for minutes offline); local mode: the
        // system clock. On a cluster pass the same -D to the executors.
        if (System.getProperty(org.deeplearning4j.spark.time.TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY) == null) {
            System.setProperty(org.deeplearning4j.spark.time.TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY,
                    org.deeplearning4j.spark.time.SystemClockTimeSource.class.getName());
        }
        spark.setCollectTrainingStats(true);
    }

    /**
     * DL4J's training statistics since {@link #collectPhaseTimes()}: for every phase (its stats key), the
     * number of events and their summed milliseconds; worker phases are summed over all tasks.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode phaseTimes() {
        com.fasterxml.jackson.databind.node.ObjectNode out = dev.trainyard.prep.common.Json.object();
        for (org.deeplearning4j.spark.api.stats.SparkTrainingStats s = spark.getSparkTrainingStats(); s != null;
             s = s.getNestedTrainingStats()) {
            for (String key : s.getKeySet()) {
                long ms = 0;
                int n = 0;
                for (org.deeplearning4j.spark.stats.EventStats e : s.getValue(key)) {
                    ms += e.getDurationMs();
                    n++;
                }
                out.putObject(key).put("events", n).put("ms", ms);
            }
        }
        return out;
    }

    @Override
    public ComputationGraph network() {
        return spark.getNetwork();
    }

    @Override
    public String describe() {
        return "DL4J parameter averaging on Spark: " + cfg.workers() + " workers x " + cfg.batchSizePerWorker()
                + " examples, averaging every " + cfg.averagingFrequency() + " minibatches";
    }
}
