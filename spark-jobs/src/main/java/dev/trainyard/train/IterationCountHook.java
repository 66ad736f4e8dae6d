package dev.trainyard.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Restores the iteration and epoch counts on each Spark worker's network before it trains.
 * <p>
 * DL4J 1.0.0-M2's parameter averaging rebuilds the worker network from
 * {@code ComputationGraphConfiguration.clone()}, which drops both counts, so every round restarts
 * at iteration 0: Adam redoes its bias correction from step 1 (steps 3-5x too small) and
 * schedules restart. The hook is serialised with every round, so the driver sets the count the
 * round starts from; on a fresh worker network (count below it) the hook puts it back.
 */
final class IterationCountHook implements TrainingHook {
    private static final long serialVersionUID = 1L;
    private int iteration;
    private int epoch;

    void startRoundAt(int iterationCount, int epochCount) {
        this.iteration = iterationCount;
        this.epoch = epochCount;
    }

    private void restore(Model model) {
        if (model instanceof ComputationGraph g && g.getConfiguration().getIterationCount() < iteration) {
            g.getConfiguration().setIterationCount(iteration);
            g.getConfiguration().setEpochCount(epoch);
        } else if (model instanceof MultiLayerNetwork n && n.getLayerWiseConfigurations().getIterationCount() < iteration) {
            n.getLayerWiseConfigurations().setIterationCount(iteration);
            n.getLayerWiseConfigurations().setEpochCount(epoch);
        }
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        restore(model);
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        restore(model);
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }
}
