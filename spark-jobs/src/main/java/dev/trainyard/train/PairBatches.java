package dev.trainyard.train;

import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * A split of a prepared pair dataset as {@link Batches}: examples put in a seeded random order
 * once, then cut into minibatches (inputs q1, q2, as {@link PairFeatures} reads them; label).
 */
public final class PairBatches {
    private PairBatches() {
    }

    public static Batches<PairExample> load(SparkSession spark, String dataset, String split, PairFeatures features,
                                            int batchSize, int workers, int averagingFrequency, long seed) {
        Dataset<Row> df = features.select(PairSchema.read(spark, dataset, split).filter(col(PairSchema.LABEL).isNotNull()))
                .orderBy(xxhash64(col(PairSchema.PAIR_ID), lit(seed)), col(PairSchema.PAIR_ID));
        JavaRDD<PairExample> rows = df.javaRDD().map(features::toExample);
        return fromExamples(rows, features, batchSize, workers, averagingFrequency);
    }

    /** Lays out examples already in their training order. */
    public static Batches<PairExample> fromExamples(JavaRDD<PairExample> ordered, PairFeatures features, int batchSize,
                                                   int workers, int averagingFrequency) {
        return Batches.fromOrdered(ordered, batchSize, workers, averagingFrequency, features::toMultiDataSet);
    }
}
