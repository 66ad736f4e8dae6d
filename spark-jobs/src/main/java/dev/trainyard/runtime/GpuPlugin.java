package dev.trainyard.runtime;

import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Pins ND4J to the GPUs Spark assigned ({@code spark.plugins=dev.trainyard.runtime.GpuPlugin}):
 * when an executor starts it restricts ND4J's CUDA backend to the executor's GPUs, and when a
 * task starts it binds the task's thread to the task's GPU, so executors sharing a host never
 * share a device. Each executor reports its assignment to the driver's log. With the CPU backend
 * (a jar built without {@code -Pcuda}) the assignment is reported and nothing is pinned.
 */
public final class GpuPlugin implements SparkPlugin {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.gpu");

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverLog(LOG);
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new Executor();
    }

    static boolean cudaBackend() {
        return Nd4j.getBackend().getClass().getName().contains("jcublas");
    }

    private static final class Executor implements ExecutorPlugin {
        private PluginContext ctx;
        private boolean cuda;

        @Override
        public void init(PluginContext ctx, Map<String, String> extraConf) {
            this.ctx = ctx;
            int[] devices = GpuAssignment.devices(ctx.resources());
            cuda = devices.length > 0 && cudaBackend();
            if (cuda) {
                restrictCudaDevices(devices);
            }
            report("executor " + ctx.executorID() + " on " + hostname() + ": GPUs " + Arrays.toString(devices) + ", ND4J backend "
                    + Nd4j.getBackend().getClass().getSimpleName() + (devices.length > 0 && !cuda ? " (CPU build: GPUs not used)" : ""));
        }

        @Override
        public void onTaskStart() {
            TaskContext task = TaskContext.get();
            OptionalInt device = GpuAssignment.taskDevice(task.resourcesJMap());
            if (device.isEmpty()) {
                return;
            }
            if (cuda) {
                Nd4j.getAffinityManager().unsafeSetDevice(device.getAsInt());
            }
            if (task.attemptNumber() == 0 && task.partitionId() == 0) {
                report("executor " + ctx.executorID() + " stage " + task.stageId() + " task 0: GPU " + device.getAsInt()
                        + (cuda ? ", ND4J device " + Nd4j.getAffinityManager().getDeviceForCurrentThread() : ", not pinned (CPU build)"));
            }
        }

        /** PluginContext.hostname() fails on executors (their RpcEnv has no address in Spark 3.5). */
        private static String hostname() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "unknown host";
            }
        }

        private void report(String message) {
            LOG.info(message);
            try {
                ctx.send(message);
            } catch (java.io.IOException e) {
                LOG.warn("cannot report to the driver: {}", e.toString());
            }
        }

        /** CudaEnvironment is in the CUDA backend only, so it is reached by reflection from this CPU-built class. */
        private static void restrictCudaDevices(int[] devices) {
            try {
                Object env = Class.forName("org.nd4j.jita.conf.CudaEnvironment").getMethod("getInstance").invoke(null);
                Object conf = env.getClass().getMethod("getConfiguration").invoke(env);
                conf.getClass().getMethod("useDevices", int[].class).invoke(conf, (Object) devices);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot restrict ND4J to GPUs " + Arrays.toString(devices), e);
            }
        }
    }
}
