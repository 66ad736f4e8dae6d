package dev.trainyard.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Single-JVM training on the driver: the baseline that distributed training is compared with.
 * Batches are collected once (same order as the distributed layout) and fitted in sequence by
 * {@link #fitInOrder}, the one in-JVM fit loop (ensemble members use it inside their tasks too).
 */
public final class LocalTrainer implements Trainer {
    private final ComputationGraph net;
    private List<MultiDataSet> cached;
    private Batches<?> cachedFor;

    public LocalTrainer(ComputationGraph net) {
        this.net = net;
    }

    @Override
    public double fitEpoch(Batches<?> batches, RoundListener listener) {
        if (cachedFor != batches) {
            cached = batches.all().collect();
            cachedFor = batches;
        }
        double loss = fitInOrder(net, cached, cached.size(), UnaryOperator.identity(), listener);
        net.incrementEpochCount();
        return loss;
    }

    /**
     * Fits {@code count} minibatches in order, each after {@code before} (adversarial examples are added there,
     * against the network as it is at that step); returns the mean minibatch loss. Every minibatch is one "round"
     * for the listener.
     */
    public static double fitInOrder(ComputationGraph net, Iterable<? extends MultiDataSet> batches, int count,
                                    UnaryOperator<MultiDataSet> before, RoundListener listener) {
        double sum = 0;
        long examples = 0;
        int i = 0;
        for (MultiDataSet batch : batches) {
            MultiDataSet mds = before.apply(batch);
            net.fit(mds);
            sum += net.score();
            examples += batch.getFeatures(0).size(0);
            listener.onRound(++i, count, examples, net.score());
        }
        return sum / Math.max(1, i);
    }

    @Override
    public ComputationGraph network() {
        return net;
    }

    @Override
    public String describe() {
        return "single JVM fit on the driver";
    }
}
