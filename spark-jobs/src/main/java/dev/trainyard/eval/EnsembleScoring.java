package dev.trainyard.eval;

import dev.trainyard.train.Nd4jThreads;
import dev.trainyard.train.ensemble.ImageBatches;
import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.Ensemble;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Correct predictions of an ensemble on images, scored on the executors like training and the
 * attacks: slices of images per task, the ensemble read once per task, counts summed on the
 * driver. (Scoring on the driver took about 20 minutes per 5-member evaluation on 2 cores and
 * would grow with N on a cluster whose executors sat idle.)
 */
final class EnsembleScoring implements AutoCloseable {
    static final int BATCH = 500;

    private final JavaSparkContext jsc;
    private final Broadcast<byte[]> model;
    private final String modelName;
    private final int members;
    private final int slices;

    /** Shares the ensemble zip with the executors once, for every dataset scored with it. */
    EnsembleScoring(JavaSparkContext jsc, byte[] modelBytes, String modelName, int members) {
        this.jsc = jsc;
        this.model = jsc.broadcast(modelBytes);
        this.modelName = modelName;
        this.members = members;
        this.slices = 2 * jsc.defaultParallelism();
        if (jsc.isLocal()) {
            Nd4jThreads.set(Nd4jThreads.fairShare(jsc.defaultParallelism()));
        }
    }

    /**
     * Correct predictions per member, per combiner over all members, and per combiner over the first
     * k members for each k of {@code sizes}.
     */
    record Counts(long[] members, long[] combined, long[][] bySize) implements Serializable {
        static Counts zero(int members, int sizes) {
            return new Counts(new long[members], new long[Combiner.values().length], new long[sizes][Combiner.values().length]);
        }

        Counts plus(Counts o) {
            Counts sum = zero(members.length, bySize.length);
            for (int m = 0; m < members.length; m++) {
                sum.members[m] = members[m] + o.members[m];
            }
            for (int c = 0; c < combined.length; c++) {
                sum.combined[c] = combined[c] + o.combined[c];
                for (int k = 0; k < bySize.length; k++) {
                    sum.bySize[k][c] = bySize[k][c] + o.bySize[k][c];
                }
            }
            return sum;
        }
    }

    /** Scores the images at {@code indices} (all of them when null). */
    Counts count(ImageBatches images, int[] indices, List<Integer> sizes) {
        int[] picked = indices != null ? indices : java.util.stream.IntStream.range(0, images.size()).toArray();
        List<Integer> starts = new ArrayList<>();
        for (int from = 0; from < picked.length; from += BATCH) {
            starts.add(from);
        }
        int members = this.members;
        if (starts.isEmpty()) {
            return Counts.zero(members, sizes.size());
        }
        Broadcast<byte[]> model = this.model;
        String modelName = this.modelName;
        Broadcast<ImageBatches> data = jsc.broadcast(images);
        try {
            return jsc.parallelize(starts, Math.min(starts.size(), slices))
                    .mapPartitions((Iterator<Integer> from) -> {
                        Counts counts = Counts.zero(members, sizes.size());
                        if (from.hasNext()) {
                            Ensemble ensemble = Ensemble.read(new ByteArrayInputStream(model.value()), modelName);
                            while (from.hasNext()) {
                                int f = from.next();
                                counts = counts.plus(score(ensemble, data.value().batch(picked, f, Math.min(picked.length, f + BATCH)), sizes));
                            }
                        }
                        return List.of(counts).iterator();
                    })
                    .reduce(Counts::plus);
        } finally {
            data.destroy();
        }
    }

    /** Stops sharing the ensemble with the executors. */
    @Override
    public void close() {
        model.destroy();
    }

    static Counts score(Ensemble ensemble, DataSet ds, List<Integer> sizes) {
        Counts c = Counts.zero(ensemble.members().size(), sizes.size());
        INDArray truth = ds.getLabels().argMax(1);
        List<INDArray> outs = ensemble.memberOutputs(ds.getFeatures());
        for (int m = 0; m < outs.size(); m++) {
            c.members[m] = correct(outs.get(m), truth);
        }
        for (Combiner how : Combiner.values()) {
            c.combined[how.ordinal()] = correct(how.combine(outs), truth);
            for (int k = 0; k < sizes.size(); k++) {
                c.bySize[k][how.ordinal()] = correct(how.combine(outs.subList(0, sizes.get(k))), truth);
            }
        }
        return c;
    }

    static long correct(INDArray scores, INDArray truth) {
        return scores.argMax(1).eq(truth).castTo(DataType.INT32).sumNumber().longValue();
    }
}
