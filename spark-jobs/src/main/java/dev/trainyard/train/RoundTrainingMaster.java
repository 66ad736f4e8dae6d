package dev.trainyard.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J's parameter averaging fed one round at a time, as Trainyard lays rounds out
 * ({@link RoundLayout}: W partitions of at most F minibatches, which DL4J would take as a single
 * split anyway). Before each fit DL4J counts the data to plan its splits: a Spark job that builds
 * every minibatch of the round once more only to count them: 13-21 ms a round in local mode and
 * 26-64 ms on a standalone cluster (docs/scaling.md). Here a round is trained as DL4J's one split
 * straight away; the minibatch count DL4J's statistics record comes from the layout. The Export
 * approach keeps DL4J's own path.
 */
final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;
    private int roundMinibatches;

    RoundTrainingMaster(ParameterAveragingTrainingMaster.Builder builder) {
        super(builder);
    }

    /** The number of minibatches the next round holds, for DL4J's statistics. */
    void nextRound(int minibatches) {
        roundMinibatches = minibatches;
    }

    @Override
    protected void executeTrainingDirect(SparkComputationGraph graph, JavaRDD<MultiDataSet> round) {
        if (collectTrainingStats) {
            stats.logFitStart();
        }
        doIteration(graph, round, 1, 1);
        if (collectTrainingStats) {
            stats.logFitEnd(roundMinibatches);
        }
    }
}
