package dev.trainyard.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Trainyard's training interface. DL4J's Spark classes stay behind it (frozen upstream at
 * 1.0.0-M2), so another engine replaces one implementation, not the jobs.
 */
public interface Trainer extends AutoCloseable {

    /** Progress inside an epoch: rounds done of total, examples so far, latest loss. */
    interface RoundListener {
        void onRound(int round, int rounds, long examples, double loss);
    }

    /** One pass over the batches; returns the mean training loss over the epoch's rounds. */
    double fitEpoch(Batches<?> batches, RoundListener listener);

    /** The network with the current (averaged) parameters, on the driver. */
    ComputationGraph network();

    /** A description for manifests and logs. */
    String describe();

    @Override
    default void close() {
    }
}
