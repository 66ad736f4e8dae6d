package dev.trainyard.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Versions of one named model on any Hadoop file system (local, HDFS, s3a://):
 * <pre>
 * REGISTRY/NAME/versions/v0001/   the model directory's files, evaluation.json, decision.json
 * REGISTRY/NAME/CURRENT           the version serving now ("v0003")
 * REGISTRY/NAME/registry.json     every version: source, metric, value, promoted or not, and why
 * </pre>
 * Readers reach a version only through CURRENT or the index, and both are replaced all-or-nothing
 * ({@link Storage#writeAtomically}) after the version's files are complete, so a reader, or a
 * registry whose promote was killed at any point, sees the old state or the new one, never half.
 * A version directory is written under a temporary name and renamed into place where renames are
 * atomic; on an object store it is written in place, and a version directory that the index does
 * not list (left by a killed promote) is written over by the next one.
 */
public final class ModelRegistry {
    public static final String CURRENT = "CURRENT";
    public static final String INDEX = "registry.json";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("trainyard.registry");
    private final Configuration conf;
    private final Storage storage;
    private final Path root;
    private final String name;

    public ModelRegistry(Configuration conf, String registry, String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("--name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        this.conf = conf;
        this.storage = new Storage(conf);
        this.root = new Path(registry, name);
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Path root() {
        return root;
    }

    public Optional<String> current() {
        Path p = new Path(root, CURRENT);
        try {
            return fs().exists(p) ? Optional.of(read(p).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    public Path versionDir(String version) {
        return new Path(new Path(root, "versions"), version);
    }

    /** The registry index: every version registered so far (an empty list for a new registry). */
    public ObjectNode index() {
        Path p = new Path(root, INDEX);
        try {
            if (!fs().exists(p)) {
                ObjectNode fresh = Json.object();
                fresh.put("name", name);
                fresh.putArray("versions");
                return fresh;
            }
            return (ObjectNode) Json.MAPPER.readTree(read(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /**
     * Copies a model directory (any file system) in as the next version, with its extra JSON
     * files; returns the version name.
     */
    public String register(String modelDir, java.util.Map<String, JsonNode> extraFiles) {
        ArrayNode versions = (ArrayNode) index().path("versions");
        String version = String.format("v%04d", versions.size() + 1);
        Path target = versionDir(version);
        boolean inPlace = Storage.isObjectStore(target.toString());
        Path write = inPlace ? target : new Path(target.getParent(), "." + version + ".tmp");
        try {
            FileSystem fs = fs();
            if (fs.exists(target)) {
                // not in the index, so no reader was ever pointed at it: what a killed promote left
                LOG.warn("{} is not in {} (left by an interrupted promote); writing {} over it", target, INDEX, version);
                fs.delete(target, true);
            }
            fs.delete(write, true);
            fs.mkdirs(write);
            Path src = new Path(modelDir);
            FileSystem srcFs = src.getFileSystem(conf);
            for (var st : srcFs.listStatus(src)) {
                // checkpoints are for resuming a run, not for serving
                if (st.isFile()) {
                    FileUtil.copy(srcFs, st.getPath(), fs, new Path(write, st.getPath().getName()), false, conf);
                }
            }
            for (var e : extraFiles.entrySet()) {
                storage.writeText(new Path(write, e.getKey()).toString(), Json.write(e.getValue()));
            }
            if (!inPlace && !fs.rename(write, target)) {
                throw new IOException("rename " + write + " -> " + target + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register " + modelDir + " in " + root, e);
        }
        return version;
    }

    /** Appends a version's entry to the index, and moves CURRENT to it when {@code promote}. */
    public void record(ObjectNode entry, boolean promote) {
        ObjectNode index = index();
        ((ArrayNode) index.path("versions")).add(entry);
        if (promote) {
            index.put("current", entry.path("version").asText());
        }
        replace(new Path(root, INDEX), Json.write(index));
        if (promote) {
            replace(new Path(root, CURRENT), entry.path("version").asText() + "\n");
        }
    }

    /** Copies a version's files to a local directory (to evaluate or serve it there). */
    public java.nio.file.Path copyToLocal(String version, java.nio.file.Path localDir) {
        try {
            FileSystem local = FileSystem.getLocal(conf).getRaw();
            Path dst = new Path(localDir.toAbsolutePath().toUri());
            for (var st : fs().listStatus(versionDir(version))) {
                FileUtil.copy(fs(), st.getPath(), local, new Path(dst, st.getPath().getName()), false, conf);
            }
            return localDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + versionDir(version) + " to " + localDir, e);
        }
    }

    /** Replaces {@code target}'s content in one step. */
    private void replace(Path target, String text) {
        storage.writeText(target.toString(), text);
    }

    private String read(Path p) throws IOException {
        try (var in = fs().open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private FileSystem fs() throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem l ? l.getRaw() : fs;
    }
}
