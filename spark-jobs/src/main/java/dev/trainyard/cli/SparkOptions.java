package dev.trainyard.cli;

import dev.trainyard.runtime.SparkSessions;
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

    @Option(names = "--dry-run", description = {"Validate the arguments and configuration, print them with the paths they name",
            "(local inputs must exist) and exit without starting Spark."})
    boolean dryRun;

    public SparkSession session(String appName) {
        return SparkSessions.create(appName, master, conf);
    }

    /** Runs a job on a new session and stops the session afterwards, whatever happens; returns exit code 0. */
    public int run(String appName, java.util.function.Consumer<SparkSession> job) {
        return run(appName, null, job);
    }

    /**
     * As {@link #run(String, java.util.function.Consumer)}; with {@code --dry-run} prints the
     * validated {@code config} (a record, or null) and its paths instead of running.
     */
    public int run(String appName, Object config, java.util.function.Consumer<SparkSession> job) {
        if (dryRun) {
            System.out.println(dev.trainyard.prep.common.Json.write(DryRun.report(appName, master, config)));
            return 0;
        }
        SparkSession spark = session(appName);
        try {
            job.accept(spark);
            return 0;
        } finally {
            spark.stop();
        }
    }
}
