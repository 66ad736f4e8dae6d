package dev.trainyard.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Per-epoch checkpoints under {@code MODEL_DIR/checkpoints/}. Each is written to a temporary file,
 * forced to disk and renamed into place, then its SHA-256 is written beside it, and only then does
 * {@code LATEST} point at it: a crash at any moment leaves the previous checkpoint and pointer
 * intact. Resuming ({@link #resumePoint()}) verifies checksums and never guesses: it takes the
 * newest intact checkpoint and says why it passed over newer ones, or refuses.
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
            writeAtomically(checksumFile(target), tmp -> Files.writeString(tmp, sha256(target) + "  " + target.getFileName() + "\n"));
            writeAtomically(dir.resolve(LATEST), tmp -> Files.writeString(tmp, target.getFileName().toString() + "\n"));
            if (problem(target).isEmpty()) {
                // only once the new checkpoint reads back intact may older ones go
                prune(epoch);
            }
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

    /** Where a resumed run starts: an intact checkpoint, and why newer ones were passed over (empty when none were). */
    public record ResumePoint(Path checkpoint, List<String> passedOver) {
    }

    /**
     * The newest intact checkpoint (its checksum verified), preferring the one {@code LATEST} names;
     * empty when this store has never written one. Throws {@link IllegalArgumentException} (exit 2)
     * naming each checkpoint and what is wrong with it when there are checkpoints but none is intact;
     * nothing is deleted either way.
     */
    public Optional<ResumePoint> resumePoint() {
        List<Path> all = checkpoints();
        Path pointer = dir.resolve(LATEST);
        List<String> passedOver = new ArrayList<>();
        String named = null;
        if (Files.exists(pointer)) {
            try {
                named = Files.readString(pointer).trim();
            } catch (IOException e) {
                passedOver.add(LATEST + " is unreadable (" + e.getMessage() + ")");
            }
            if (named != null && !named.matches("epoch-\\d{4}\\.zip")) {
                passedOver.add(LATEST + " does not name a checkpoint ('" + abbreviate(named) + "')");
                named = null;
            } else if (named != null && !Files.exists(dir.resolve(named))) {
                passedOver.add(LATEST + " names " + named + ", which is missing");
            }
        }
        if (all.isEmpty() && passedOver.isEmpty()) {
            return Optional.empty();
        }
        List<Path> order = new ArrayList<>();
        if (named != null && Files.exists(dir.resolve(named))) {
            order.add(dir.resolve(named));
        }
        all.stream().sorted(Comparator.comparing(CheckpointStore::epochOf).reversed()).filter(p -> !order.contains(p)).forEach(order::add);
        for (Path candidate : order) {
            Optional<String> problem = problem(candidate);
            if (problem.isEmpty()) {
                return Optional.of(new ResumePoint(candidate, List.copyOf(passedOver)));
            }
            passedOver.add(candidate.getFileName() + " " + problem.get());
        }
        throw new IllegalArgumentException("--resume: no intact checkpoint in " + dir + " (" + String.join("; ", passedOver)
                + "); nothing was deleted. Start again without --resume into a new directory, or restore a checkpoint.");
    }

    /** What is wrong with a checkpoint file, if anything: a checksum that does not match, or (without one) a zip that does not read. */
    static Optional<String> problem(Path checkpoint) {
        try {
            Path sum = checksumFile(checkpoint);
            if (Files.exists(sum)) {
                String expected = Files.readString(sum).trim().split("\\s+")[0];
                String actual = sha256(checkpoint);
                return expected.equals(actual) ? Optional.empty()
                        : Optional.of("fails its checksum (" + Files.size(checkpoint) + " bytes; truncated or changed since it was written)");
            }
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(checkpoint.toFile())) {
                for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                    try (var in = zip.getInputStream(entries.nextElement())) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("is unreadable (" + e.getMessage() + ")");
        }
    }

    private static Path checksumFile(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + ".sha256");
    }

    private static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Path> checkpoints() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("epoch-\\d{4}\\.zip")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
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
                    .forEach(p -> {
                        p.toFile().delete();
                        checksumFile(p).toFile().delete();
                    });
        }
    }
}
