package dev.trainyard.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Versions of one named model on any Hadoop file system (local or HDFS):
 * <pre>
 * REGISTRY/NAME/versions/v0001/   the model directory's files, evaluation.json, decision.json
 * REGISTRY/NAME/CURRENT           the version serving now ("v0003")
 * REGISTRY/NAME/registry.json     every version: source, metric, value, promoted or not, and why
 * </pre>
 * A version directory is written under a temporary name and renamed into place, and CURRENT is
 * replaced by an overwriting rename, so a reader sees the old state or the new one, never half.
 */
public final class ModelRegistry {
    public static final String CURRENT = "CURRENT";
    public static final String INDEX = "registry.json";
    private final Configuration conf;
    private final Path root;
    private final String name;

    public ModelRegistry(Configuration conf, String registry, String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("--name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        this.conf = conf;
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
        Path tmp = new Path(target.getParent(), "." + version + ".tmp");
        try {
            FileSystem fs = fs();
            fs.delete(tmp, true);
            fs.mkdirs(tmp);
            Path src = new Path(modelDir);
            FileSystem srcFs = src.getFileSystem(conf);
            for (var st : srcFs.listStatus(src)) {
                // checkpoints are for resuming a run, not for serving
                if (st.isFile()) {
                    FileUtil.copy(srcFs, st.getPath(), fs, new Path(tmp, st.getPath().getName()), false, conf);
                }
            }
            for (var e : extraFiles.entrySet()) {
                write(new Path(tmp, e.getKey()), Json.write(e.getValue()));
            }
            if (fs.exists(target)) {
                throw new IllegalStateException(target + " exists but is not in " + INDEX + ": repair the registry by hand");
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
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

    /** Writes {@code text} next to {@code target} and renames it over {@code target} in one step. */
    private void replace(Path target, String text) {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            write(tmp, text);
            FileContext.getFileContext(target.toUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + target, e);
        }
    }

    private void write(Path p, String text) throws IOException {
        try (var out = fs().create(p, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
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
