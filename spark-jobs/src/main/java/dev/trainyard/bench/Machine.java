package dev.trainyard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a bench ran on, for its JSON: the project's VMs have changed CPU under it (an Intel Xeon model 207,
 * then 167, then an AMD EPYC Zen 4), and a figure is comparable only with figures from the same CPU.
 */
public final class Machine {
    private Machine() {
    }

    /** {@code cpu} (model name, family and model), {@code cores} (what this JVM may use). */
    public static ObjectNode describe() {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("cpu", cpu(readCpuinfo()));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        return m;
    }

    /** "model name (family F, model M)" of the first processor in a /proc/cpuinfo text; "unknown" without one. */
    static String cpu(String cpuinfo) {
        String name = field(cpuinfo, "model name");
        String family = field(cpuinfo, "cpu family");
        String model = field(cpuinfo, "model");
        if (name == null) {
            return "unknown";
        }
        return family == null || model == null ? name : name + " (family " + family + ", model " + model + ")";
    }

    private static String field(String cpuinfo, String key) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String readCpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
