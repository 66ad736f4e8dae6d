package dev.trainyard.train;

import org.apache.spark.Partitioner;

/**
 * Places minibatch k in the partition of its averaging round and worker:
 * round r = k / (W*F), worker w = (k mod W*F) mod W, partition = r*W + w. A round is then W
 * consecutive partitions, each holding the (at most F) minibatches one worker fits, in order.
 * Trainyard owns this layout instead of DL4J's random splits, so runs are reproducible and one
 * worker reproduces single-machine training exactly.
 */
public final class RoundLayout extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int workers;
    private final int batchesPerRound;
    private final int rounds;

    public RoundLayout(long numBatches, int workers, int averagingFrequency) {
        this.workers = workers;
        this.batchesPerRound = workers * averagingFrequency;
        this.rounds = (int) Math.max(1, (numBatches + batchesPerRound - 1) / batchesPerRound);
    }

    public int rounds() {
        return rounds;
    }

    /** Minibatches in one round: a minibatch per worker, averagingFrequency times. */
    public int batchesPerRound() {
        return batchesPerRound;
    }

    public int workers() {
        return workers;
    }

    @Override
    public int numPartitions() {
        return rounds * workers;
    }

    @Override
    public int getPartition(Object key) {
        long k = (Long) key;
        long round = k / batchesPerRound;
        int worker = (int) ((k % batchesPerRound) % workers);
        return (int) (round * workers + worker);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoundLayout r && r.workers == workers && r.batchesPerRound == batchesPerRound && r.rounds == rounds;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * workers + batchesPerRound) + rounds;
    }
}
