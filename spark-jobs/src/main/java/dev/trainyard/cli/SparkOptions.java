package dev.trainyard.cli;

import dev.trainyard.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Spark options every Spark-running command takes. */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (local[N], spark://host:port, yarn, k8s://...). Default: spark-submit's, else $MASTER, else local[*].")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark configuration, repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    public SparkSession session(String appName) {
        return SparkSessions.create(appName, master, conf);
    }

    /** Runs a job on a new session and stops the session afterwards, whatever happens; returns exit code 0. */
    public int run(String appName, java.util.function.Consumer<SparkSession> job) {
        SparkSession spark = session(appName);
        try {
            job.accept(spark);
            return 0;
        } finally {
            spark.stop();
        }
    }
}
