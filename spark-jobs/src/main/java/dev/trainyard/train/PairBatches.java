package dev.trainyard.train;

import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * A split of a prepared pair dataset as {@link Batches}: examples put in a seeded random order
 * once, then cut into minibatches (inputs q1, q2; label).
 */
public final class PairBatches {
    private PairBatches() {
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

    public static Batches<PairExample> load(SparkSession spark, String dataset, String split, int batchSize, int workers,
                                            int averagingFrequency, long seed) {
        Dataset<Row> df = readSplit(spark, dataset, split).filter(col(PairSchema.LABEL).isNotNull())
                .select(PairSchema.PAIR_ID, PairSchema.Q1_VECTOR, PairSchema.Q2_VECTOR, PairSchema.LABEL)
                .orderBy(xxhash64(col(PairSchema.PAIR_ID), lit(seed)), col(PairSchema.PAIR_ID));
        JavaRDD<PairExample> rows = df.javaRDD().map(PairBatches::toExample);
        return fromExamples(rows, batchSize, workers, averagingFrequency);
    }

    /** Lays out examples already in their training order. */
    public static Batches<PairExample> fromExamples(JavaRDD<PairExample> ordered, int batchSize, int workers, int averagingFrequency) {
        return Batches.fromOrdered(ordered, batchSize, workers, averagingFrequency, PairBatches::toMultiDataSet);
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
}
