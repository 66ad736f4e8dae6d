package dev.trainyard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;

import dev.trainyard.runtime.OpenBlasCore;

import static dev.trainyard.runtime.OpenBlasCore.cpuinfoField;

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
        m.put("cpu", cpu(OpenBlasCore.machineCpuinfo()));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        return m;
    }

    /** "model name (family F, model M)" of the first processor in a /proc/cpuinfo text; "unknown" without one. */
    static String cpu(String cpuinfo) {
        String name = cpuinfoField(cpuinfo, "model name");
        String family = cpuinfoField(cpuinfo, "cpu family");
        String model = cpuinfoField(cpuinfo, "model");
        if (name == null) {
            return "unknown";
        }
        return family == null || model == null ? name : name + " (family " + family + ", model " + model + ")";
    }
}
