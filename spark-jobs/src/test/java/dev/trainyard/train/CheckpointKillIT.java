package dev.trainyard.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process killed with SIGKILL while it writes a checkpoint never leaves a torn one behind:
 * {@code LATEST} always names a complete checkpoint, and the next run writes on from it.
 */
class CheckpointKillIT {
    private static final int KILLS = 3;
    @TempDir
    Path model;

    @Test
    void killingTheWriterMidCheckpointLeavesTheLastCompleteOne() throws Exception {
        CheckpointStore store = new CheckpointStore(model, 2);
        int next = 1;
        List<String> killedDuring = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Process writer = start(next);
            try {
                killedDuring.add(awaitWriteInProgress(store, writer, next));
            } finally {
                writer.destroyForcibly().waitFor();
            }
            String latest = store.latest().orElseThrow();
            int epoch = CheckpointStore.epochOf(latest);
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(new java.io.File(latest), true);
            assertEquals(epoch, restored.params().minNumber().doubleValue(), "every parameter of " + latest + " is " + epoch);
            assertEquals(epoch, restored.params().maxNumber().doubleValue(), "every parameter of " + latest + " is " + epoch);
            assertTrue(epoch >= next, "the restarted writer saved at least one checkpoint before the kill");
            next = epoch + 1;
        }
        assertEquals(KILLS, new java.util.HashSet<>(killedDuring).size(), "each kill interrupted another checkpoint's write: " + killedDuring);
        System.out.println("killed while writing: " + killedDuring);
    }

    private Process start(int firstEpoch) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), CheckpointWriterMain.class.getName(),
                model.toString(), String.valueOf(firstEpoch))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(model.resolveSibling("writer.log").toFile()))
                .start();
    }

    /**
     * Once this writer has completed a checkpoint (epoch {@code >= first}), waits until a later
     * write's temporary file has bytes in it; returns its name.
     */
    private static String awaitWriteInProgress(CheckpointStore store, Process writer, int first) throws Exception {
        long end = System.nanoTime() + java.time.Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < end) {
            assertTrue(writer.isAlive(), "the writer died on its own");
            var latest = store.latest();
            List<Path> tmp = tmpFiles(store);
            if (latest.isPresent() && CheckpointStore.epochOf(latest.get()) >= first && !tmp.isEmpty() && sizeOrZero(tmp.get(0)) > 0) {
                return tmp.get(0).getFileName().toString();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no checkpoint write seen in progress in " + store.dir());
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException renamedMeanwhile) {
            return 0;
        }
    }

    private static List<Path> tmpFiles(CheckpointStore store) throws java.io.IOException {
        if (!Files.isDirectory(Path.of(store.dir()))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(Path.of(store.dir()))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
