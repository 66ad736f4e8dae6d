package dev.trainyard.prep.common;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** What every job starts with: its Spark context, storage on Spark's Hadoop settings, progress logging, and its start time. */
public record JobContext(JavaSparkContext jsc, Storage storage, long startNanos) {
    public static JobContext start(SparkSession spark) {
        long t0 = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SparkProgress.register(spark.sparkContext());
        return new JobContext(jsc, new Storage(jsc.hadoopConfiguration()), t0);
    }

    public double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
