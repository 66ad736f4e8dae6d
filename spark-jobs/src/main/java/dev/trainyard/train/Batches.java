package dev.trainyard.train;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Training examples of any model as minibatches laid out by averaging round ({@link RoundLayout}):
 * examples in a fixed order are cut into batches, and round r's batches sit in W consecutive
 * partitions, one per worker. The examples are cached (serialised) until {@link #close()}.
 *
 * @param <T> one example; turned into minibatches on the executors by a {@link BatchMaker}
 */
public final class Batches<T> implements AutoCloseable {

    /** Builds one minibatch from consecutive examples; runs on the executors. */
    public interface BatchMaker<T> extends Serializable {
        MultiDataSet make(List<T> examples);
    }

    private final JavaPairRDD<Long, T> examples;
    private final RoundLayout layout;
    private final long numExamples;
    private final long numBatches;
    private final BatchMaker<T> maker;

    private Batches(JavaPairRDD<Long, T> examples, RoundLayout layout, long numExamples, int batchSize, BatchMaker<T> maker) {
        this.examples = examples;
        this.layout = layout;
        this.numExamples = numExamples;
        this.numBatches = (numExamples + batchSize - 1) / batchSize;
        this.maker = maker;
    }

    /** Lays out examples already in their training order. */
    public static <T> Batches<T> fromOrdered(JavaRDD<T> ordered, int batchSize, int workers, int averagingFrequency,
                                             BatchMaker<T> maker) {
        JavaPairRDD<Long, T> indexed = ordered.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2 / batchSize, t._1));
        long n = indexed.count();
        if (n == 0) {
            throw new IllegalArgumentException("no labeled examples to train on");
        }
        RoundLayout layout = new RoundLayout((n + batchSize - 1) / batchSize, workers, averagingFrequency);
        JavaPairRDD<Long, T> laid = indexed.repartitionAndSortWithinPartitions(layout).persist(StorageLevel.MEMORY_AND_DISK_SER());
        laid.count();
        return new Batches<>(laid, layout, n, batchSize, maker);
    }

    public RoundLayout layout() {
        return layout;
    }

    public long numExamples() {
        return numExamples;
    }

    public long numBatches() {
        return numBatches;
    }

    /** The minibatches of one averaging round, one partition per worker. */
    public JavaRDD<MultiDataSet> round(int r) {
        int from = r * layout.workers();
        PartitionPruningRDD<Tuple2<Long, T>> pruned =
                PartitionPruningRDD.create(examples.rdd(), new KeepRange(from, from + layout.workers()));
        ClassTag<Tuple2<Long, T>> tag = ClassTag$.MODULE$.apply(Tuple2.class);
        BatchMaker<T> m = maker;
        return new JavaRDD<>(pruned, tag).mapPartitions(it -> toBatches(it, m), true);
    }

    /** All minibatches, in training order (single-JVM training and scoring). */
    public JavaRDD<MultiDataSet> all() {
        BatchMaker<T> m = maker;
        return examples.mapPartitions(it -> toBatches(it, m), true);
    }

    /** Consecutive examples with the same batch index become one minibatch. */
    static <T> Iterator<MultiDataSet> toBatches(Iterator<Tuple2<Long, T>> it, BatchMaker<T> maker) {
        List<MultiDataSet> out = new ArrayList<>();
        List<T> cur = new ArrayList<>();
        long key = Long.MIN_VALUE;
        while (it.hasNext()) {
            Tuple2<Long, T> t = it.next();
            if (t._1 != key && !cur.isEmpty()) {
                out.add(maker.make(cur));
                cur = new ArrayList<>();
            }
            key = t._1;
            cur.add(t._2);
        }
        if (!cur.isEmpty()) {
            out.add(maker.make(cur));
        }
        return out.iterator();
    }

    @Override
    public void close() {
        examples.unpersist(true);
    }

    /** Keeps partitions [from, to): one averaging round. */
    static final class KeepRange extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;

        KeepRange(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public Object apply(Object partition) {
            int p = (Integer) partition;
            return p >= from && p < to;
        }
    }
}
