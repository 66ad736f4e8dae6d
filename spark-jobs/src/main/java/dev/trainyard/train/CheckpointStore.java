package dev.trainyard.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Per-epoch checkpoints under {@code MODEL_DIR/checkpoints/}. Each is written to a temporary file,
 * forced to disk and renamed into place, and only then does {@code LATEST} point at it: a crash at
 * any moment leaves the previous checkpoint and pointer intact.
 */
public final class CheckpointStore {
    public static final String LATEST = "LATEST";
    private final Path dir;
    private final int keep;

    public CheckpointStore(Path modelDir, int keep) {
        this.dir = modelDir.resolve("checkpoints");
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    public Path save(ComputationGraph net, int epoch) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(String.format("epoch-%04d.zip", epoch));
            writeAtomically(target, tmp -> ModelSerializer.writeModel(net, tmp.toFile(), true));
            writeAtomically(dir.resolve(LATEST), tmp -> Files.writeString(tmp, target.getFileName().toString() + "\n"));
            prune(epoch);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint for epoch " + epoch + " in " + dir, e);
        }
    }

    /** The epoch and path of the last complete checkpoint, if any. */
    public Optional<Path> latest() {
        Path pointer = dir.resolve(LATEST);
        if (!Files.exists(pointer)) {
            return Optional.empty();
        }
        try {
            Path p = dir.resolve(Files.readString(pointer).trim());
            return Files.exists(p) ? Optional.of(p) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int epochOf(Path checkpoint) {
        String n = checkpoint.getFileName().toString();
        return Integer.parseInt(n.substring("epoch-".length(), n.length() - ".zip".length()));
    }

    interface Writer {
        void write(Path tmp) throws IOException;
    }

    static void writeAtomically(Path target, Writer writer) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        writer.write(tmp);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void prune(int current) throws IOException {
        if (keep <= 0) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().matches("epoch-\\d{4}\\.zip"))
                    .filter(p -> epochOf(p) <= current - keep)
                    .forEach(p -> p.toFile().delete());
        }
    }
}
