package dev.trainyard.train;

import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairSchema;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * A split of a prepared pair dataset as minibatches laid out by averaging round
 * ({@link RoundLayout}). Examples are put in a seeded random order once, then cut into batches.
 */
public final class PairBatches implements AutoCloseable {
    private final JavaPairRDD<Long, PairExample> examples;
    private final RoundLayout layout;
    private final long numExamples;
    private final long numBatches;
    private final int batchSize;

    private PairBatches(JavaPairRDD<Long, PairExample> examples, RoundLayout layout, long numExamples, int batchSize) {
        this.examples = examples;
        this.layout = layout;
        this.numExamples = numExamples;
        this.batchSize = batchSize;
        this.numBatches = (numExamples + batchSize - 1) / batchSize;
    }

    /** Reads a split and checks the dataset's schema version first. Labeled rows only. */
    public static Dataset<Row> readSplit(SparkSession spark, String dataset, String split) {
        DatasetMetadata.require(new Storage(spark.sparkContext().hadoopConfiguration()), dataset,
                PairSchema.DATASET_KIND, PairSchema.VERSION);
        Dataset<Row> df = spark.read().parquet(DatasetMetadata.splitDir(dataset, PairSchema.VERSION, split));
        for (String c : List.of(PairSchema.PAIR_ID, PairSchema.LABEL, PairSchema.Q1_VECTOR, PairSchema.Q2_VECTOR)) {
            if (!List.of(df.columns()).contains(c)) {
                throw new IllegalArgumentException("dataset " + dataset + " split " + split + " lacks column '" + c + "'");
            }
        }
        return df;
    }

    public static PairBatches load(SparkSession spark, String dataset, String split, int batchSize, int workers,
                                   int averagingFrequency, long seed) {
        Dataset<Row> df = readSplit(spark, dataset, split).filter(col(PairSchema.LABEL).isNotNull())
                .select(PairSchema.PAIR_ID, PairSchema.Q1_VECTOR, PairSchema.Q2_VECTOR, PairSchema.LABEL)
                .orderBy(xxhash64(col(PairSchema.PAIR_ID), lit(seed)), col(PairSchema.PAIR_ID));
        JavaRDD<PairExample> rows = df.javaRDD().map(PairBatches::toExample);
        return fromExamples(rows, batchSize, workers, averagingFrequency);
    }

    /** Lays out examples already in their training order. */
    public static PairBatches fromExamples(JavaRDD<PairExample> ordered, int batchSize, int workers, int averagingFrequency) {
        JavaPairRDD<Long, PairExample> indexed = ordered.zipWithIndex()
                .mapToPair(t -> new Tuple2<>(t._2 / batchSize, t._1));
        long n = indexed.count();
        if (n == 0) {
            throw new IllegalArgumentException("no labeled examples to train on");
        }
        RoundLayout layout = new RoundLayout((n + batchSize - 1) / batchSize, workers, averagingFrequency);
        JavaPairRDD<Long, PairExample> laid = indexed.repartitionAndSortWithinPartitions(layout)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        laid.count();
        return new PairBatches(laid, layout, n, batchSize);
    }

    public static PairExample toExample(Row r) {
        return new PairExample(r.getString(0), floats(r.getList(1)), floats(r.getList(2)), r.getInt(3));
    }

    public static float[] floats(List<Float> l) {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = l.get(i);
        }
        return f;
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
        int to = from + layout.workers();
        PartitionPruningRDD<Tuple2<Long, PairExample>> pruned =
                PartitionPruningRDD.create(examples.rdd(), new KeepRange(from, to));
        ClassTag<Tuple2<Long, PairExample>> tag = ClassTag$.MODULE$.apply(Tuple2.class);
        return new JavaRDD<>(pruned, tag).mapPartitions(PairBatches::toBatches, true);
    }

    /** All minibatches, in training order (used by single-JVM training and scoring). */
    public JavaRDD<MultiDataSet> all() {
        return examples.mapPartitions(PairBatches::toBatches, true);
    }

    /** Consecutive examples with the same batch index become one MultiDataSet (inputs q1, q2; label). */
    static Iterator<MultiDataSet> toBatches(Iterator<Tuple2<Long, PairExample>> it) {
        List<MultiDataSet> out = new ArrayList<>();
        List<PairExample> cur = new ArrayList<>();
        long key = Long.MIN_VALUE;
        while (it.hasNext()) {
            Tuple2<Long, PairExample> t = it.next();
            if (t._1 != key && !cur.isEmpty()) {
                out.add(toMultiDataSet(cur));
                cur = new ArrayList<>();
            }
            key = t._1;
            cur.add(t._2);
        }
        if (!cur.isEmpty()) {
            out.add(toMultiDataSet(cur));
        }
        return out.iterator();
    }

    public static MultiDataSet toMultiDataSet(List<PairExample> batch) {
        int n = batch.size();
        int d = batch.get(0).q1().length;
        float[][] a = new float[n][];
        float[][] b = new float[n][];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            a[i] = batch.get(i).q1();
            b[i] = batch.get(i).q2();
            if (a[i].length != d || b[i].length != d) {
                throw new IllegalArgumentException("pair " + batch.get(i).pairId() + " has vectors of length "
                        + a[i].length + "/" + b[i].length + ", expected " + d);
            }
            y[i][0] = batch.get(i).label();
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{Nd4j.create(a), Nd4j.create(b)},
                new INDArray[]{Nd4j.create(y)});
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
