package dev.trainyard.train;

import dev.trainyard.prep.common.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Library, Java and machine versions for run manifests. */
public final class BuildInfo {
    private static final Properties BUILD = load();

    private BuildInfo() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/trainyard-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // versions then read "unknown"; never fail a run for a manifest field
        }
        return p;
    }

    public static String get(String key) {
        return BUILD.getProperty(key, "unknown");
    }

    public static ObjectNode versions(String sparkVersion) {
        ObjectNode v = Json.object();
        v.put("trainyard", get("trainyard.version"));
        v.put("dl4j", get("dl4j.version"));
        v.put("dl4j_spark", get("dl4j.spark.version"));
        v.put("spark", sparkVersion);
        v.put("java", System.getProperty("java.version"));
        v.put("java_vendor", System.getProperty("java.vendor"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        v.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        v.put("nd4j_native_build", dev.trainyard.zoo.video.NativeBuild.describe());
        v.put("openblas_kernels", dev.trainyard.runtime.OpenBlasCore.apply().describe());
        v.put("driver_cores", Runtime.getRuntime().availableProcessors());
        return v;
    }
}
