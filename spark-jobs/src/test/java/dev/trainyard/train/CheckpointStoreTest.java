package dev.trainyard.train;

import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatDiesHalfWayNeverReplacesTheLastGoodCheckpoint() throws IOException {
        ComputationGraph net = SiameseNetwork.build(SiameseSpec.defaults(8).withHidden(List.of(4)));
        CheckpointStore store = new CheckpointStore(dir, 3);
        Path first = store.save(net, 1);
        assertEquals(first, store.latest().orElseThrow());

        // the process "dies" while writing epoch 2: a partial temp file, no rename
        Path target = store.dir().resolve("epoch-0002.zip");
        assertThrows(IOException.class, () -> CheckpointStore.writeAtomically(target, tmp -> {
            Files.write(tmp, new byte[]{1, 2, 3});
            throw new IOException("killed mid-write");
        }));
        assertEquals(first, store.latest().orElseThrow(), "LATEST still names the complete checkpoint");
        assertTrue(Files.notExists(target));
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(store.latest().get().toFile(), true);
        assertEquals(net.params(), restored.params());
    }

    @Test
    void onlyTheLastKCheckpointsAreKept() {
        ComputationGraph net = SiameseNetwork.build(SiameseSpec.defaults(8).withHidden(List.of(4)));
        CheckpointStore store = new CheckpointStore(dir, 2);
        for (int e = 1; e <= 4; e++) {
            store.save(net, e);
        }
        assertEquals(4, CheckpointStore.epochOf(store.latest().orElseThrow()));
        assertTrue(Files.notExists(store.dir().resolve("epoch-0002.zip")));
        assertTrue(Files.exists(store.dir().resolve("epoch-0003.zip")));
    }
}
