package dev.trainyard.objectstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.testing.S3Bucket;
import dev.trainyard.registry.ModelRegistry;
import dev.trainyard.train.CheckpointStore;
import dev.trainyard.zoo.io.ModelFiles;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Object stores have no atomic rename, yet a process killed (SIGKILL) at any moment while it writes
 * checkpoints or promotes models on s3a:// leaves the previous state readable: {@code LATEST} names
 * a complete checkpoint, {@code CURRENT} a complete version listed in the index, and the next run
 * carries on from there.
 */
class ObjectStoreKillIT {
    private static final int KILLS = 3;
    @RegisterExtension
    static final S3Bucket STORE = new S3Bucket("kills");
    @TempDir
    static Path tmp;
    @Test
    void killingACheckpointWriteLeavesTheLastCompleteCheckpointNamedByLatest() throws Exception {
        String model = STORE.root() + "/models/killed";
        CheckpointStore store = new CheckpointStore(storage(), model, 2);
        Path log = tmp.resolve("checkpoints.log");
        int next = 1;
        for (int k = 0; k < KILLS; k++) {
            Process writer = start(log, "checkpoints", model, String.valueOf(next));
            try {
                awaitLine(log, writer, line -> line.startsWith("saving ") && epochIn(line) > epochAfterStart(log));
            } finally {
                writer.destroyForcibly().waitFor();
            }
            assertTrue(lastLine(log).startsWith("saving "), "killed while a checkpoint was being written: " + lastLine(log));
            String latest = store.latest().orElseThrow();
            int epoch = CheckpointStore.epochOf(latest);
            ComputationGraph restored = storage().withLocalFile(latest, p -> ModelFiles.readGraph(p, true));
            assertEquals(epoch, restored.params().minNumber().doubleValue(), "every parameter of " + latest + " is " + epoch);
            assertEquals(epoch, restored.params().maxNumber().doubleValue(), "every parameter of " + latest + " is " + epoch);
            CheckpointStore.ResumePoint resume = store.resumePoint().orElseThrow();
            assertEquals(latest, resume.checkpoint(), "resuming takes the checkpoint LATEST names");
            assertEquals(List.of(), resume.passedOver(), "no torn checkpoint is visible on the store");
            next = epoch + 1;
        }
    }

    @Test
    void killingAPromoteLeavesCurrentOnAComplete_listedVersion() throws Exception {
        Path localModel = Files.createDirectories(tmp.resolve("model"));
        ComputationGraph net = SiameseNetwork.build(SiameseSpec.defaults(200).withHidden(List.of(400, 300)));
        ModelSerializer.writeModel(net, localModel.resolve("model.zip").toFile(), true);
        Files.writeString(localModel.resolve("manifest.json"), "{\"model\":\"siamese\"}");
        String registryRoot = STORE.root() + "/registry";
        ModelRegistry registry = new ModelRegistry(conf(), registryRoot, "killed");
        Path log = tmp.resolve("registry.log");
        Random random = new Random(7);
        List<String> killedAt = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Process writer = start(log, "registry", registryRoot, "killed", localModel.toString());
            try {
                awaitLine(log, writer, line -> line.startsWith("promoted "));
                awaitLine(log, writer, line -> line.equals("promoting"));
                Thread.sleep(random.nextInt(120)); // somewhere inside the next promote
            } finally {
                writer.destroyForcibly().waitFor();
            }
            killedAt.add(lastLine(log));
            String current = registry.current().orElseThrow();
            JsonNode index = registry.index();
            List<String> listed = new ArrayList<>();
            index.path("versions").forEach(v -> listed.add(v.path("version").asText()));
            assertTrue(listed.contains(current), "CURRENT " + current + " is in the index " + listed);
            for (String v : listed) {
                String dir = registry.versionDir(v).toString();
                storage().withLocalFile(dir + "/model.zip", p -> ModelFiles.readGraph(p, false));
                assertTrue(Json.MAPPER.readTree(storage().readText(dir + "/decision.json")).path("promoted").asBoolean());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= listed.size(); i++) {
                expected.add(String.format("v%04d", i));
            }
            assertEquals(expected, listed, "versions are numbered without gaps after a restart");
        }
        System.out.println("last line before each kill: " + killedAt);
    }

    private static int epochIn(String line) {
        return Integer.parseInt(line.substring(line.indexOf(' ') + 1).trim());
    }

    /** The first epoch this writer saved: kills land on a later write than the one a restart begins with. */
    private static int epochAfterStart(Path log) {
        List<String> lines = lines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).equals("--- start")) {
                for (int j = i + 1; j < lines.size(); j++) {
                    if (lines.get(j).startsWith("saved ")) {
                        return epochIn(lines.get(j));
                    }
                }
                return Integer.MAX_VALUE;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static Process start(Path log, String... args) throws Exception {
        Files.writeString(log, "--- start\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), StoreWriterMain.class.getName()));
        cmd.addAll(List.of(args));
        STORE.server().hadoopSettings().forEach((k, v) -> cmd.add(k + "=" + v));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits until a line after this writer's start matches (polling every 2 ms). */
    private static void awaitLine(Path log, Process writer, java.util.function.Predicate<String> match) throws Exception {
        long end = System.nanoTime() + java.time.Duration.ofMinutes(3).toNanos();
        int seen = sinceStart(log).size();
        while (System.nanoTime() < end) {
            assertTrue(writer.isAlive(), "the writer died on its own: " + String.join("\n", lines(log)));
            List<String> lines = sinceStart(log);
            for (int i = seen; i < lines.size(); i++) {
                if (match.test(lines.get(i))) {
                    return;
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no matching line in " + log);
    }

    private static List<String> sinceStart(Path log) {
        List<String> lines = lines(log);
        int start = lines.lastIndexOf("--- start");
        return lines.subList(start + 1, lines.size());
    }

    private static String lastLine(Path log) {
        List<String> lines = lines(log).stream().filter(l -> l.startsWith("saving") || l.startsWith("saved")
                || l.startsWith("promot")).toList();
        return lines.get(lines.size() - 1);
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Configuration conf() {
        return STORE.conf();
    }

    private static Storage storage() {
        return new Storage(conf());
    }
}
