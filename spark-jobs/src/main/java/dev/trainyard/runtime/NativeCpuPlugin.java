package dev.trainyard.runtime;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Prepares ND4J's CPU side on every executor before ND4J loads ({@link NativeCpu}: the native build
 * to load, OpenBLAS's kernels for this host's CPU) and reports the choice to the driver's log. Added to
 * {@code spark.plugins} by {@link SparkSessions#create}, ahead of any other plugin.
 */
public final class NativeCpuPlugin implements SparkPlugin {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.cpu");

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverLog(LOG);
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                NativeCpu.configure();
                OpenBlasCore.Decision d = OpenBlasCore.apply(); // decided by configure(); read back
                try {
                    ctx.send("executor " + ctx.executorID() + ": ND4J native build " + buildName() + ", OpenBLAS kernels " + d.describe());
                } catch (java.io.IOException e) {
                    LOG.warn("cannot report to the driver: {}", e.toString());
                }
            }
        };
    }

    static String buildName() {
        String ext = System.getProperty(NativeCpu.EXTENSION_PROPERTY, "");
        return ext.isEmpty() ? "generic" : ext.substring(1);
    }

    /** {@code spark.plugins} with this plugin first (once), whatever the user listed after it. */
    public static String prependTo(String plugins) {
        String self = NativeCpuPlugin.class.getName();
        if (plugins == null || plugins.isBlank()) {
            return self;
        }
        StringBuilder out = new StringBuilder(self);
        for (String p : plugins.split(",")) {
            if (!p.isBlank() && !p.trim().equals(self)) {
                out.append(',').append(p.trim());
            }
        }
        return out.toString();
    }
}
