package dev.trainyard.train;

import dev.trainyard.prep.common.Storage;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Per-epoch checkpoints under {@code MODEL_DIR/checkpoints/}, on any file system Trainyard writes
 * (local, HDFS, s3a://). Each is written all-or-nothing ({@link Storage#writeAtomically}), then its
 * SHA-256 beside it, and only then does {@code LATEST} (also written all-or-nothing) name it: a
 * crash at any moment leaves the previous checkpoint and pointer intact. Resuming
 * ({@link #resumePoint()}) verifies checksums and never guesses: it takes the newest intact
 * checkpoint and says why it passed over newer ones, or refuses.
 */
public final class CheckpointStore {
    public static final String LATEST = "LATEST";
    private static final String NAME = "epoch-\\d{4}\\.zip";
    private final Storage storage;
    private final String dir;
    private final int keep;

    public CheckpointStore(Storage storage, String modelDir, int keep) {
        this.storage = storage;
        this.dir = Storage.stripSlash(modelDir) + "/checkpoints";
        this.keep = keep;
    }

    /** A store in a local model directory. */
    public CheckpointStore(java.nio.file.Path modelDir, int keep) {
        this(Storage.local(), modelDir.toString(), keep);
    }

    public String dir() {
        return dir;
    }

    public String save(ComputationGraph net, int epoch) {
        String name = String.format("epoch-%04d.zip", epoch);
        String target = dir + "/" + name;
        try {
            // the checksum of the bytes as written; problem() below reads them back against it
            java.security.MessageDigest digest = sha256();
            storage.writeAtomically(target, out -> ModelSerializer.writeModel(net, new java.security.DigestOutputStream(out, digest), true));
            String sum = java.util.HexFormat.of().formatHex(digest.digest()) + "  " + name + "\n";
            storage.writeAtomically(checksumFile(target), out -> out.write(sum.getBytes(StandardCharsets.UTF_8)));
            storage.writeAtomically(dir + "/" + LATEST, out -> out.write((name + "\n").getBytes(StandardCharsets.UTF_8)));
            if (problem(target).isEmpty()) {
                // only once the new checkpoint reads back intact may older ones go
                prune(epoch);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint for epoch " + epoch + " in " + dir, e);
        }
    }

    /** The path of the checkpoint {@code LATEST} names, if it exists. */
    public Optional<String> latest() {
        String pointer = dir + "/" + LATEST;
        if (!storage.exists(pointer)) {
            return Optional.empty();
        }
        String p = dir + "/" + storage.readText(pointer).trim();
        return storage.exists(p) ? Optional.of(p) : Optional.empty();
    }

    /** Where a resumed run starts: an intact checkpoint, and why newer ones were passed over (empty when none were). */
    public record ResumePoint(String checkpoint, List<String> passedOver) {
    }

    /**
     * The newest intact checkpoint (its checksum verified), preferring the one {@code LATEST} names;
     * empty when this store has never written one. Throws {@link IllegalArgumentException} (exit 2)
     * naming each checkpoint and what is wrong with it when there are checkpoints but none is intact;
     * nothing is deleted either way.
     */
    public Optional<ResumePoint> resumePoint() {
        List<String> all = checkpoints();
        String pointer = dir + "/" + LATEST;
        List<String> passedOver = new ArrayList<>();
        String named = null;
        if (storage.exists(pointer)) {
            try {
                named = storage.readText(pointer).trim();
            } catch (UncheckedIOException e) {
                passedOver.add(LATEST + " is unreadable (" + e.getMessage() + ")");
            }
            if (named != null && !named.matches(NAME)) {
                passedOver.add(LATEST + " does not name a checkpoint ('" + abbreviate(named) + "')");
                named = null;
            } else if (named != null && !all.contains(dir + "/" + named)) {
                passedOver.add(LATEST + " names " + named + ", which is missing");
            }
        }
        if (all.isEmpty() && passedOver.isEmpty()) {
            return Optional.empty();
        }
        List<String> order = new ArrayList<>();
        if (named != null && all.contains(dir + "/" + named)) {
            order.add(dir + "/" + named);
        }
        all.stream().sorted(Comparator.comparing(CheckpointStore::epochOf).reversed()).filter(p -> !order.contains(p)).forEach(order::add);
        for (String candidate : order) {
            Optional<String> problem = problem(candidate);
            if (problem.isEmpty()) {
                return Optional.of(new ResumePoint(candidate, List.copyOf(passedOver)));
            }
            passedOver.add(fileName(candidate) + " " + problem.get());
        }
        throw new IllegalArgumentException("--resume: no intact checkpoint in " + dir + " (" + String.join("; ", passedOver)
                + "); nothing was deleted. Start again without --resume into a new directory, or restore a checkpoint.");
    }

    /** What is wrong with a checkpoint file, if anything: a checksum that does not match, or (without one) a zip that does not read. */
    Optional<String> problem(String checkpoint) {
        try {
            String sum = checksumFile(checkpoint);
            if (storage.exists(sum)) {
                String expected = storage.readText(sum).trim().split("\\s+")[0];
                String actual = sha256(checkpoint);
                return expected.equals(actual) ? Optional.empty()
                        : Optional.of("fails its checksum (" + storage.size(checkpoint) + " bytes; truncated or changed since it was written)");
            }
            try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(storage.open(checkpoint))) {
                int entries = 0;
                for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    zip.transferTo(java.io.OutputStream.nullOutputStream());
                    entries++;
                }
                if (entries == 0) {
                    return Optional.of("is not a zip file");
                }
            }
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.of("is unreadable (" + e.getMessage() + ")");
        }
    }

    private static String checksumFile(String checkpoint) {
        return checkpoint + ".sha256";
    }

    private String sha256(String file) throws IOException {
        try (InputStream in = storage.open(file)) {
            java.security.MessageDigest md = sha256();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        }
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> checkpoints() {
        return storage.list(dir).stream().filter(n -> n.matches(NAME)).map(n -> dir + "/" + n).toList();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public static int epochOf(String checkpoint) {
        String n = fileName(checkpoint);
        return Integer.parseInt(n.substring("epoch-".length(), n.length() - ".zip".length()));
    }

    private void prune(int current) {
        if (keep <= 0) {
            return;
        }
        for (String p : checkpoints()) {
            if (epochOf(p) <= current - keep) {
                storage.delete(p);
                storage.delete(checksumFile(p));
            }
        }
    }
}
