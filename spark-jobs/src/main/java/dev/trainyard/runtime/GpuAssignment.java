package dev.trainyard.runtime;

import org.apache.spark.resource.ResourceInformation;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Which CUDA device a Spark executor or task was given, from Spark's resource scheduling
 * ({@code spark.executor.resource.gpu.amount}, {@code spark.task.resource.gpu.amount} and the
 * discovery script's addresses). Addresses must be device ordinals, as {@code nvidia-smi
 * --query-gpu=index} prints them: ND4J selects devices by ordinal.
 */
public final class GpuAssignment {
    public static final String RESOURCE = "gpu";

    private GpuAssignment() {
    }

    /** The ordinals of every GPU in {@code resources} (an executor's); empty when none were assigned. */
    public static int[] devices(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources == null ? null : resources.get(RESOURCE);
        if (gpu == null) {
            return new int[0];
        }
        return Arrays.stream(gpu.addresses()).mapToInt(GpuAssignment::ordinal).toArray();
    }

    /**
     * The one GPU a task runs on; empty when Spark assigned none. A DL4J worker drives one device,
     * so a task holding several GPUs is a configuration error, reported with the fix.
     */
    public static OptionalInt taskDevice(Map<String, ResourceInformation> resources) {
        int[] d = devices(resources);
        if (d.length == 0) {
            return OptionalInt.empty();
        }
        if (d.length > 1) {
            throw new IllegalStateException("this task holds GPUs " + Arrays.toString(d) + "; a Trainyard worker drives one GPU: set "
                    + "spark.task.resource.gpu.amount=1 (or a fraction) and spark.executor.resource.gpu.amount to the GPUs per executor");
        }
        return OptionalInt.of(d[0]);
    }

    static int ordinal(String address) {
        try {
            int i = Integer.parseInt(address.trim());
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("GPU address '" + address + "' is not a device ordinal: the discovery script must print "
                + "nvidia-smi indices (deploy/gpu/discover-gpus.sh does), not UUIDs");
    }
}
