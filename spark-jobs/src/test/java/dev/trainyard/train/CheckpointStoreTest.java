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
        String first = store.save(net, 1);
        assertEquals(first, store.latest().orElseThrow());

        // the process "dies" while writing epoch 2: a partial temp file, no rename
        Path target = Path.of(store.dir()).resolve("epoch-0002.zip");
        assertThrows(IOException.class, () -> dev.trainyard.prep.common.Storage.local().writeAtomically(target.toString(), out -> {
            out.write(new byte[]{1, 2, 3});
            out.flush();
            throw new IOException("killed mid-write");
        }));
        assertEquals(first, store.latest().orElseThrow(), "LATEST still names the complete checkpoint");
        assertTrue(Files.notExists(target));
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new java.io.File(store.latest().get()), true);
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
        assertTrue(Files.notExists(Path.of(store.dir()).resolve("epoch-0002.zip")));
        assertTrue(Files.exists(Path.of(store.dir()).resolve("epoch-0003.zip")));
    }

    private static ComputationGraph net(double value) {
        ComputationGraph net = SiameseNetwork.build(SiameseSpec.defaults(8).withHidden(List.of(4)));
        net.params().assign(value);
        return net;
    }

    @Test
    void aTruncatedNewestCheckpointFallsBackToTheIntactOneBeforeItAndSaysWhy() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        store.save(net(1), 1);
        Path second = Path.of(store.save(net(2), 2));
        byte[] bytes = Files.readAllBytes(second);
        Files.write(second, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointStore.ResumePoint p = store.resumePoint().orElseThrow();
        assertEquals(1, CheckpointStore.epochOf(p.checkpoint()));
        assertTrue(p.passedOver().get(0).contains("epoch-0002.zip fails its checksum"), p.passedOver().toString());
    }

    @Test
    void aMissingOrGarbledLatestFallsBackToTheNewestIntactCheckpoint() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        store.save(net(1), 1);
        store.save(net(2), 2);
        Files.writeString(Path.of(store.dir()).resolve(CheckpointStore.LATEST), "\u0000garbage");
        assertEquals(2, CheckpointStore.epochOf(store.resumePoint().orElseThrow().checkpoint()));
        Files.writeString(Path.of(store.dir()).resolve(CheckpointStore.LATEST), "epoch-0009.zip\n");
        CheckpointStore.ResumePoint p = store.resumePoint().orElseThrow();
        assertEquals(2, CheckpointStore.epochOf(p.checkpoint()));
        assertTrue(p.passedOver().get(0).contains("epoch-0009.zip, which is missing"), p.passedOver().toString());
    }

    @Test
    void withNoIntactCheckpointResumeRefusesAndDeletesNothing() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        for (int e = 1; e <= 2; e++) {
            Path cp = Path.of(store.save(net(e), e));
            Files.write(cp, new byte[]{1, 2, 3});
        }
        var e = assertThrows(IllegalArgumentException.class, store::resumePoint);
        assertTrue(e.getMessage().contains("no intact checkpoint") && e.getMessage().contains("epoch-0001.zip"), e.getMessage());
        assertTrue(Files.exists(Path.of(store.dir()).resolve("epoch-0001.zip")) && Files.exists(Path.of(store.dir()).resolve("epoch-0002.zip")));

        ModelDir model = new ModelDir(dir.resolve("other"));
        var epochs = dev.trainyard.prep.common.Json.MAPPER.createArrayNode();
        epochs.addObject().put("epoch", 1);
        var noCheckpoint = assertThrows(IllegalArgumentException.class, () -> model.start(true, epochs, () -> net(0)));
        assertTrue(noCheckpoint.getMessage().contains("refusing to start again from epoch 1"), noCheckpoint.getMessage());
    }

    /**
     * The end of an epoch writes metrics, then the checkpoint, its checksum and LATEST. Whichever
     * step a kill interrupts, the resumed run's metrics hold every epoch before it exactly once.
     */
    @Test
    void metricsHoldEachEpochOnceWhateverStepOfTheEpochEndAKillInterrupts() throws IOException {
        for (int killedAfter = 0; killedAfter <= 4; killedAfter++) {
            Path d = Files.createDirectories(dir.resolve("kill-" + killedAfter));
            ModelDir model = new ModelDir(d);
            var epochs = dev.trainyard.prep.common.Json.MAPPER.createArrayNode();
            for (int e = 1; e <= 2; e++) {
                epochs.addObject().put("epoch", e);
                model.writeJson(ModelDir.METRICS, ModelDir.metrics(epochs));
                model.checkpoints().save(net(e), e);
            }
            // epoch 3's end, cut after step `killedAfter`
            epochs.addObject().put("epoch", 3);
            Path cp = Path.of(model.checkpoints().dir()).resolve("epoch-0003.zip");
            if (killedAfter >= 1) {
                model.writeJson(ModelDir.METRICS, ModelDir.metrics(epochs));
            }
            if (killedAfter >= 2) {
                ModelSerializer.writeModel(net(3), cp.toFile(), true);
            }
            if (killedAfter >= 3) {
                Files.write(cp, java.util.Arrays.copyOf(Files.readAllBytes(cp), 100)); // torn by the kill
            }
            if (killedAfter >= 4) {
                Files.writeString(Path.of(model.checkpoints().dir()).resolve(".LATEST.tmp"), "epo");
            }
            var resumedEpochs = model.epochs();
            ModelDir.Start start = model.start(true, resumedEpochs, () -> net(0));
            List<Integer> seen = new java.util.ArrayList<>();
            resumedEpochs.forEach(n -> seen.add(n.path("epoch").asInt()));
            List<Integer> expected = java.util.stream.IntStream.range(1, start.firstEpoch()).boxed().toList();
            assertEquals(expected, seen, "killed after step " + killedAfter);
            assertEquals(3, start.firstEpoch(), "resumes after the last intact checkpoint (epoch 2), killed after step " + killedAfter);
        }
    }

    /** A run killed before it finished leaves its model marked incomplete; the --resume run that finishes it marks it complete. */
    @Test
    void aResumedRunThatFinishesMarksTheModelComplete() throws IOException {
        var storage = dev.trainyard.prep.common.Storage.local();
        String d = dir.resolve("resumed").toString();
        ModelDir killed = ModelDir.prepare(storage, d, false, false, java.util.Map.of());
        killed.writeModel(net(1));
        var refused = assertThrows(IllegalArgumentException.class, () -> new ModelDir(storage, d).readModel());
        assertTrue(refused.getMessage().contains("is incomplete"), refused.getMessage());

        ModelDir resumed = ModelDir.prepare(storage, d, true, false, java.util.Map.of());
        resumed.writeModel(net(2));
        resumed.commit();
        assertEquals(2.0, new ModelDir(storage, d).readModel().params().getDouble(0), "the finished model reads back");
    }
}
