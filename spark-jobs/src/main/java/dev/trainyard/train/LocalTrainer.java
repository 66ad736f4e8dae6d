package dev.trainyard.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;

/**
 * Single-JVM training on the driver: the baseline that distributed training is compared with.
 * Batches are collected once (same order as the distributed layout) and fitted in sequence.
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
        double sum = 0;
        long examples = 0;
        for (int i = 0; i < cached.size(); i++) {
            MultiDataSet mds = cached.get(i);
            net.fit(mds);
            sum += net.score();
            examples += mds.getFeatures(0).size(0);
            listener.onRound(i + 1, cached.size(), examples, net.score());
        }
        net.incrementEpochCount();
        return sum / Math.max(1, cached.size());
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
