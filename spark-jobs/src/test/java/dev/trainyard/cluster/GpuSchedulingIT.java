package dev.trainyard.cluster;

import dev.trainyard.runtime.GpuPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark GPU resource scheduling on a real standalone cluster without a GPU: one Worker announces
 * two GPUs through a discovery script, the job asks one GPU per executor and per task, and
 * {@link GpuPlugin} reports, from each executor and its tasks, the device it was given. Two
 * executors on one host must get different GPUs. (On a CPU build nothing is pinned; the CUDA path
 * is checked on real GPUs by deploy/gpu-check.sh.)
 */
class GpuSchedulingIT {
    private static final Pattern EXECUTOR = Pattern.compile("executor (\\d+) on [^:]+: GPUs \\[(\\d+)]");
    private static final Pattern TASK = Pattern.compile("executor (\\d+) stage \\d+ task 0: GPU (\\d+)");
    @TempDir
    Path tmp;

    @Test
    void eachExecutorOnAHostGetsItsOwnGpuAndItsTasksUseIt() throws Exception {
        Path target = Path.of("target");
        Path jar = target.resolve("trainyard.jar");
        Path discovery = tmp.resolve("two-gpus.sh");
        Files.writeString(discovery, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'\n");
        Files.setPosixFilePermissions(discovery, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> worker = List.of("-Dspark.worker.resource.gpu.amount=2", "-Dspark.worker.resource.gpu.discoveryScript=" + discovery);
        List<String> conf = StandaloneCluster.twoExecutors("spark.executor.resource.gpu.amount=1",
                "spark.task.resource.gpu.amount=1", "spark.plugins=" + GpuPlugin.class.getName());
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp, target.resolve("spark-classpath.txt"), jar, 1, 2, "3g", worker)) {
            Path log = tmp.resolve("prep.log");
            String data = cluster.preparePairs(jar, log, conf, tmp, 1500, 8);
            Path trainLog = tmp.resolve("train.log");
            assertEquals(0, cluster.submit(jar, trainLog, conf, "train", "siamese", "--data", data, "--output", tmp.resolve("model").toString(),
                    "--workers", "2", "--epochs", "1", "--batch-size-per-worker", "32"), StandaloneCluster.tail(trainLog));

            String driverLog = Files.readString(trainLog);
            Map<String, String> executorGpu = new TreeMap<>();
            Matcher m = EXECUTOR.matcher(driverLog);
            while (m.find()) {
                executorGpu.put(m.group(1), m.group(2));
            }
            assertEquals(2, executorGpu.size(), "two executors reported their GPUs: " + executorGpu + "\n" + StandaloneCluster.tail(trainLog));
            assertEquals(2, Map.copyOf(executorGpu).values().stream().distinct().count(), "executors on one host share no GPU: " + executorGpu);
            Matcher t = TASK.matcher(driverLog);
            int tasks = 0;
            while (t.find()) {
                tasks++;
                assertEquals(executorGpu.get(t.group(1)), t.group(2), "a task runs on its executor's GPU: " + t.group());
            }
            assertTrue(tasks > 0, "tasks reported their GPU");
            assertTrue(driverLog.contains("(CPU build: GPUs not used)"), "a CPU build says it does not use the GPUs");
        }
    }
}
