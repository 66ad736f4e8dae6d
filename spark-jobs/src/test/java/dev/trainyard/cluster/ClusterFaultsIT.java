package dev.trainyard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.train.CheckpointStore;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures on a real standalone cluster (a Master and two Workers on 127.0.0.1): a Worker and its
 * executor die mid-training and the job still finishes (Spark re-runs the lost tasks on the other
 * executor); the driver dies mid-training and {@code --resume} continues from the last complete
 * checkpoint to the end.
 */
class ClusterFaultsIT {
    private static final int EPOCHS = 4;
    @TempDir
    Path tmp;

    @Test
    void trainingSurvivesALostWorkerAndAKilledDriverResumes() throws Exception {
        Path target = Path.of("target");
        Path jar = target.resolve("trainyard.jar");
        assertTrue(Files.exists(jar), "the shaded jar is built in 'package', before integration tests");
        Path log = tmp.resolve("submit.log");
        List<String> conf = StandaloneCluster.TWO_EXECUTORS;
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp, target.resolve("spark-classpath.txt"), jar, 2, 1, "2g")) {
            String data = cluster.preparePairs(jar, log, conf, tmp, 3000, 16);

            // 1. the driver dies (SIGKILL) after a checkpoint; --resume finishes from that checkpoint
            Path resumed = tmp.resolve("resumed");
            Process driver = cluster.submitAsync(jar, log, conf, train(data, resumed));
            int atKill = awaitCheckpoint(resumed, 2, driver);
            driver.destroyForcibly().waitFor();
            assertTrue(Files.notExists(resumed.resolve("model.zip")), "killed before the end");
            String latest = new CheckpointStore(resumed, 3).latest().orElseThrow();
            ModelSerializer.restoreComputationGraph(new java.io.File(latest), true); // the checkpoint left behind is complete
            int fromEpoch = CheckpointStore.epochOf(latest);
            assertTrue(fromEpoch >= atKill, "LATEST moved back: " + fromEpoch + " < " + atKill);
            assertEquals(0, cluster.submit(jar, log, conf, withResume(train(data, resumed))), StandaloneCluster.tail(log));
            assertCompleteRun(resumed);
            JsonNode epochs = Json.MAPPER.readTree(resumed.resolve("metrics.json").toFile()).path("epochs");
            assertEquals(Path.of(latest).getFileName().toString(), epochs.get(fromEpoch).path("resumed_from").asText(),
                    "the first epoch after the kill was trained from the last checkpoint: " + epochs);

            // 2. one Worker and its executor die mid-training; the job finishes on the other one
            Path lostWorker = tmp.resolve("lost-worker");
            Process job = cluster.submitAsync(jar, log, conf, train(data, lostWorker));
            awaitCheckpoint(lostWorker, 1, job);
            int executorsKilled = cluster.killWorker(1);
            assertEquals(1, executorsKilled, "worker 1 ran one executor of the job");
            assertEquals(0, job.waitFor(), StandaloneCluster.tail(log));
            assertCompleteRun(lostWorker);
            assertTrue(Files.readString(log).contains("Lost executor"), "the driver saw its executor go");
            assertEquals(1, cluster.status().path("aliveworkers").asInt());

            // both runs are the same seeded training (data order, initialisation, averaging), so
            // neither failure changed the result: every epoch's loss agrees
            JsonNode a = Json.MAPPER.readTree(resumed.resolve("metrics.json").toFile()).path("epochs");
            JsonNode b = Json.MAPPER.readTree(lostWorker.resolve("metrics.json").toFile()).path("epochs");
            for (int e = 0; e < EPOCHS; e++) {
                double la = a.get(e).path("train_loss").asDouble();
                double lb = b.get(e).path("train_loss").asDouble();
                assertEquals(la, lb, 1e-4 * Math.abs(la), "epoch " + (e + 1) + ": killed-driver run " + la + ", lost-worker run " + lb);
            }
        }
    }

    private static String[] train(String data, Path model) {
        return new String[] {"train", "siamese", "--data", data, "--output", model.toString(), "--workers", "2",
                "--epochs", String.valueOf(EPOCHS), "--batch-size-per-worker", "16", "--averaging-frequency", "2"};
    }

    private static String[] withResume(String[] args) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = "--resume";
        return out;
    }

    /** Waits until the model directory holds a checkpoint of at least {@code epoch}; returns its epoch. */
    private static int awaitCheckpoint(Path model, int epoch, Process job) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        CheckpointStore store = new CheckpointStore(model, 3);
        while (System.nanoTime() < end) {
            var latest = store.latest();
            if (latest.isPresent() && CheckpointStore.epochOf(latest.get()) >= epoch) {
                return CheckpointStore.epochOf(latest.get());
            }
            assertTrue(job.isAlive(), "the job ended before checkpoint " + epoch);
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint " + epoch + " in " + model);
    }

    private static void assertCompleteRun(Path model) throws Exception {
        assertTrue(Files.exists(model.resolve("model.zip")));
        JsonNode manifest = Json.MAPPER.readTree(model.resolve("manifest.json").toFile());
        assertTrue(manifest.path("complete").asBoolean(), manifest.toString());
        JsonNode epochs = Json.MAPPER.readTree(model.resolve("metrics.json").toFile()).path("epochs");
        assertEquals(EPOCHS, epochs.size(), "one metrics line per epoch, none lost or repeated: " + epochs);
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(e + 1, epochs.get(e).path("epoch").asInt());
            assertTrue(Double.isFinite(epochs.get(e).path("train_loss").asDouble()));
        }
        assertNotEquals(epochs.get(0).path("train_loss").asDouble(), epochs.get(EPOCHS - 1).path("train_loss").asDouble());
        assertTrue(epochs.get(EPOCHS - 1).path("train_loss").asDouble() < epochs.get(0).path("train_loss").asDouble(),
                "training went on learning across the failure: " + epochs);
    }
}
