package dev.trainyard.train;

import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;
import java.util.List;

/**
 * A process that writes checkpoints until it is killed: epoch e holds every parameter equal to e,
 * so a reader can tell a complete checkpoint from a torn one. Used by {@link CheckpointKillIT}.
 * Arguments: MODEL_DIR FIRST_EPOCH.
 */
public final class CheckpointWriterMain {
    private CheckpointWriterMain() {
    }

    public static void main(String[] args) {
        dev.trainyard.runtime.NativeCpu.configure();
        // ~8M parameters (plus Adam state in the checkpoint): a write takes long enough to be killed in
        ComputationGraph net = SiameseNetwork.build(SiameseSpec.defaults(1000).withHidden(List.of(2000, 1500)));
        CheckpointStore store = new CheckpointStore(Path.of(args[0]), 2);
        for (int epoch = Integer.parseInt(args[1]); ; epoch++) {
            net.params().assign(epoch);
            store.save(net, epoch);
            System.out.println("saved " + epoch);
        }
    }
}
