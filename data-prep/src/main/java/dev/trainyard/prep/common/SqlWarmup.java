package dev.trainyard.prep.common;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

/**
 * Spark SQL's first query in a JVM spends seconds on the driver loading and setting up Catalyst
 * (session state, function registry, analyser, optimiser, planner). A job whose first stages are
 * RDD work plans a query on an empty table of its output schema in the background, so that set-up
 * overlaps those stages instead of following them. Nothing is read or written.
 */
public final class SqlWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(SqlWarmup.class);

    private SqlWarmup() {
    }

    /** Starts the warm-up in the background; a failure is only logged (the job's own queries report real problems). */
    public static void start(SparkSession spark, StructType schema) {
        CompletableFuture.runAsync(() -> {
            try {
                spark.createDataFrame(List.of(), schema).agg(count(lit(1))).queryExecution().executedPlan();
            } catch (RuntimeException e) {
                LOG.debug("Spark SQL warm-up failed", e);
            }
        });
    }
}
