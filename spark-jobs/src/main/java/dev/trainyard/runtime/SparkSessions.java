package dev.trainyard.runtime;

import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * Creates the SparkSession for a command. The master comes from {@code --master}, else from
 * spark-submit ({@code spark.master} system property) or the {@code MASTER} environment variable,
 * else embedded local Spark with all cores. Jobs themselves never set a master.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static String resolveMaster(String cliMaster) {
        if (cliMaster != null && !cliMaster.isBlank()) {
            return cliMaster;
        }
        String submitted = System.getProperty("spark.master");
        if (submitted != null && !submitted.isBlank()) {
            return submitted;
        }
        String env = System.getenv("MASTER");
        return env != null && !env.isBlank() ? env : "local[*]";
    }

    public static SparkSession create(String appName, String cliMaster, Map<String, String> conf) {
        NativeCpu.configure();
        String master = resolveMaster(cliMaster);
        SparkSession.Builder b = SparkSession.builder().appName(appName).master(master);
        if (master.startsWith("local")) {
            int cores = Runtime.getRuntime().availableProcessors();
            b.config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    // 200 shuffle partitions is for clusters; locally it is pure scheduling overhead
                    .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(4, 2 * cores)));
        }
        conf.forEach(b::config);
        // OpenBLAS's kernels are chosen on each executor before ND4J loads there
        String plugins = conf.getOrDefault("spark.plugins", System.getProperty("spark.plugins"));
        b.config("spark.plugins", NativeCpuPlugin.prependTo(plugins));
        return b.getOrCreate();
    }
}
