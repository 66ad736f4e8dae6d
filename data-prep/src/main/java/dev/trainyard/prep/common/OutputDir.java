package dev.trainyard.prep.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A folder a job writes, made safe to replace. A new folder is written in place, with Trainyard's
 * marker ({@value #MARKER}) first, so even a half-written one is recognisably Trainyard's. An
 * existing folder is replaced only when asked to, only when it carries the marker (or an older
 * Trainyard's own file) and nothing foreign, and never in place: the new output is written into a
 * sibling staging folder and swapped in by {@link #commit()}, so a failed run leaves the old output
 * as it was. Outputs that overlap an input are refused before anything is touched.
 */
public final class OutputDir {
    public static final String MARKER = "_trainyard.json";
    private static final String STAGING = ".trainyard-staging";
    private static final String REPLACED = ".trainyard-replaced";

    private final Storage storage;
    private final String target;
    private final String writePath;
    private final OutputKind kind;

    private OutputDir(Storage storage, String target, String writePath, OutputKind kind) {
        this.storage = storage;
        this.target = target;
        this.writePath = writePath;
        this.kind = kind;
    }

    /**
     * Opens {@code output} for a job that reads {@code inputs} (option name to path; null paths are
     * skipped): refuses an output overlapping an input, an existing non-empty output unless
     * {@code overwrite}, and one Trainyard did not write even then.
     */
    public static OutputDir open(Storage storage, String output, boolean overwrite, OutputKind kind, Map<String, String> inputs) {
        String out = Storage.stripSlash(output);
        String write = check(storage, out, overwrite, kind, inputs) ? sibling(out, STAGING) : out;
        if (!write.equals(out) && storage.exists(write)) {
            requireOwned(storage, write, kind);
            storage.delete(write);
        }
        OutputDir dir = new OutputDir(storage, out, write, kind);
        dir.writeMarker(write, false);
        return dir;
    }

    /**
     * The refusals of {@link #open}, touching nothing; for jobs that check before long work and
     * write at its end. Returns whether an existing output would be replaced.
     */
    public static boolean check(Storage storage, String output, boolean overwrite, OutputKind kind, Map<String, String> inputs) {
        String out = Storage.stripSlash(output);
        PathOverlap.refuse(storage, "--output", out, inputs);
        if (isEmptyOrAbsent(storage, out)) {
            return false;
        }
        if (!overwrite) {
            throw new IllegalArgumentException("output " + out + " already exists; pass --overwrite to replace it");
        }
        requireOwned(storage, out, kind);
        return true;
    }

    /**
     * Opens the output, runs {@code job} on the folder to write to, and commits it; on failure drops
     * what the job wrote and rethrows.
     */
    public static <T> T write(Storage storage, String output, boolean overwrite, OutputKind kind, Map<String, String> inputs,
                              java.util.function.Function<String, T> job) {
        OutputDir out = open(storage, output, overwrite, kind, inputs);
        T result;
        try {
            result = job.apply(out.path());
        } catch (RuntimeException | Error e) {
            out.abandon();
            throw e;
        }
        out.commit();
        return result;
    }

    /** Where the job writes now: the output itself, or its staging sibling when it replaces an old one. */
    public String path() {
        return writePath;
    }

    /** The folder the user named. */
    public String target() {
        return target;
    }

    public boolean replacing() {
        return !writePath.equals(target);
    }

    /**
     * Marks the output complete and, when replacing, swaps it in for the old one: by two renames
     * where renames are atomic, and on an object store by {@link #replaceByCopy}.
     */
    public void commit() {
        if (!replacing()) {
            writeMarker(writePath, true);
            return;
        }
        FileSystem fs = storage.fs(target);
        try {
            if (Storage.isObjectStore(target)) {
                replaceByCopy(fs);
                return;
            }
            writeMarker(writePath, true);
            Path old = new Path(sibling(target, REPLACED));
            if (fs.exists(old)) {
                fs.delete(old, true);
            }
            if (!fs.rename(new Path(target), old)) {
                throw new IOException("rename " + target + " -> " + old + " failed");
            }
            if (!fs.rename(new Path(writePath), new Path(target))) {
                fs.rename(old, new Path(target));
                throw new IOException("rename " + writePath + " -> " + target + " failed; the old output was put back");
            }
            fs.delete(old, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + target, e);
        }
    }

    /**
     * An object store renames by copying, one object at a time, so the swap cannot be one step.
     * Instead the marker says "incomplete" for its duration: readers ({@link #requireComplete})
     * refuse the output from the first step until the last, so nobody reads a mix of old and new,
     * and a run killed part-way leaves an output that a rerun with --overwrite replaces.
     */
    private void replaceByCopy(FileSystem fs) throws IOException {
        writeMarker(target, false);
        for (FileStatus st : fs.listStatus(new Path(target))) {
            if (!st.getPath().getName().equals(MARKER)) {
                fs.delete(st.getPath(), true);
            }
        }
        for (FileStatus st : fs.listStatus(new Path(writePath))) {
            String name = st.getPath().getName();
            if (!name.equals(MARKER) && !fs.rename(st.getPath(), new Path(target, name))) {
                throw new IOException("copy " + st.getPath() + " -> " + target + " failed");
            }
        }
        writeMarker(target, true);
        fs.delete(new Path(writePath), true);
    }

    /** Marks an output that a job continued in place (a resumed training run) complete. */
    public static void markComplete(Storage storage, String dir, OutputKind kind) {
        writeMarker(storage, Storage.stripSlash(dir), kind, true);
    }

    /**
     * Refuses an output whose marker says it is incomplete: a job still writing it, a run that was
     * killed, or a replacement on an object store that did not finish. Folders without the marker
     * (written by other tools, or by older Trainyard) are taken as they are.
     */
    public static void requireComplete(Storage storage, String dir, String what) {
        String marker = Storage.stripSlash(dir) + "/" + MARKER;
        if (!storage.exists(marker)) {
            return;
        }
        com.fasterxml.jackson.databind.JsonNode m;
        try {
            m = Json.MAPPER.readTree(storage.readText(marker));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(what + " " + dir + " has an unreadable " + MARKER + " (" + e.getMessage() + ")", e);
        }
        if (!m.path("complete").asBoolean(false)) {
            throw new IllegalArgumentException(what + " " + dir + " is incomplete (" + MARKER + " says so): the run writing it "
                    + "has not finished, was stopped, or was replacing it when stopped; run it again (with --overwrite to replace it)");
        }
    }

    /** After a failure: drops what this run wrote (a staging folder, or the new output); an old output stays as it was. */
    public void abandon() {
        storage.delete(writePath);
    }

    private void writeMarker(String dir, boolean complete) {
        writeMarker(storage, dir, kind, complete);
    }

    private static void writeMarker(Storage storage, String dir, OutputKind kind, boolean complete) {
        ObjectNode m = Json.object();
        m.put("written_by", "trainyard");
        m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        m.put("complete", complete);
        m.put("at", Instant.now().toString());
        storage.writeText(dir + "/" + MARKER, Json.write(m));
    }

    private static boolean isEmptyOrAbsent(Storage storage, String dir) {
        try {
            FileSystem fs = storage.fs(dir);
            Path p = new Path(dir);
            if (!fs.exists(p)) {
                return true;
            }
            if (!fs.getFileStatus(p).isDirectory()) {
                throw new IllegalArgumentException("output " + dir + " is a file, not a folder; Trainyard replaces only folders it wrote");
            }
            return fs.listStatus(p).length == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** A folder Trainyard wrote: it has the marker (or an older Trainyard's file of this kind) and nothing else. */
    static void requireOwned(Storage storage, String dir, OutputKind kind) {
        FileSystem fs = storage.fs(dir);
        Path root = new Path(dir);
        try {
            if (!storage.exists(dir + "/" + MARKER) && kind.legacyMarker().stream().noneMatch(m -> storage.exists(dir + "/" + m))) {
                throw new IllegalArgumentException("refusing to replace " + dir + ": it was not written by Trainyard (no " + MARKER
                        + "); delete it yourself or choose another output");
            }
            foreign(fs, root, kind, true).ifPresent(f -> {
                throw new IllegalArgumentException("refusing to replace " + dir + ": it holds " + f
                        + ", which Trainyard did not write; move it away or choose another output");
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static Optional<String> foreign(FileSystem fs, Path dir, OutputKind kind, boolean top) throws IOException {
        for (FileStatus st : fs.listStatus(dir)) {
            String name = st.getPath().getName();
            boolean ours = top ? kind.topLevel(name, st.isDirectory()) : OutputKind.innerFile(name, st.isDirectory());
            if (!ours) {
                return Optional.of(st.getPath().toUri().getPath());
            }
            if (st.isDirectory()) {
                Optional<String> inner = foreign(fs, st.getPath(), kind, false);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    private static String sibling(String dir, String suffix) {
        Path p = new Path(dir);
        return new Path(p.getParent(), "." + p.getName() + suffix).toString();
    }
}
