package dev.trainyard.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.OutputDir;
import dev.trainyard.prep.common.OutputKind;
import dev.trainyard.prep.common.PathOverlap;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.zoo.io.ModelFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A trained model's directory, on any file system Trainyard writes (local, HDFS, s3a://):
 * {@code model.zip} (plain DL4J, loadable with ModelSerializer), {@code manifest.json} (config,
 * seed, data, versions, timings), {@code metrics.json} (per epoch) and {@code checkpoints/}. Every
 * file is written all-or-nothing ({@link Storage#writeAtomically}).
 */
public final class ModelDir {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("trainyard.train");
    public static final String MODEL = "model.zip";
    public static final String MANIFEST = "manifest.json";
    public static final String METRICS = "metrics.json";
    /** The layout of model folders this Trainyard writes; bump when a reader could misread a folder of the old layout. */
    public static final int FORMAT_VERSION = 1;
    private final Storage storage;
    private final String dir;
    /** The output being written when this directory is trained (null when resuming or reading). */
    private final OutputDir output;
    /** Training continues a run in place (--resume): committing marks it complete. */
    private final boolean resumed;

    public ModelDir(Storage storage, String dir) {
        this(storage, Storage.stripSlash(dir), null, false);
    }

    /** A local model directory. */
    public ModelDir(Path dir) {
        this(Storage.local(), dir.toString());
    }

    private ModelDir(Storage storage, String dir, OutputDir output, boolean resumed) {
        this.storage = storage;
        this.dir = dir;
        this.output = output;
        this.resumed = resumed;
    }

    /** Where the model is written now (a staging sibling while a run replaces an old model). */
    public String path() {
        return dir;
    }

    /** The directory the user named: where the model is once the run is committed. */
    public String target() {
        return output == null ? dir : output.target();
    }

    public CheckpointStore checkpoints() {
        return new CheckpointStore(storage, dir, 3);
    }

    public void writeModel(ComputationGraph net) {
        try {
            storage.writeAtomically(file(MODEL), out -> ModelSerializer.writeModel(net, out, true));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(MODEL), e);
        }
    }

    public ComputationGraph readModel() {
        if (!storage.exists(file(MODEL))) {
            throw new IllegalArgumentException("no trained model at " + dir + " (" + MODEL + " missing)");
        }
        OutputDir.requireComplete(storage, dir, "model directory");
        if (storage.exists(file(MANIFEST))) {
            requireFormat(readJson(MANIFEST), dir);
        }
        return storage.withLocalFile(file(MODEL), p -> ModelFiles.readGraph(p, true));
    }

    public void writeJson(String name, JsonNode node) {
        storage.writeText(file(name), Json.write(node));
    }

    public JsonNode readJson(String name) {
        if (!storage.exists(file(name))) {
            throw new IllegalArgumentException("model directory " + dir + " has no " + name);
        }
        try {
            return Json.MAPPER.readTree(storage.readText(file(name)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file(name), e);
        }
    }

    public boolean has(String name) {
        return storage.exists(file(name));
    }

    /** Per-epoch metrics written so far (empty for a new run). */
    public ArrayNode epochs() {
        if (!storage.exists(file(METRICS))) {
            return Json.MAPPER.createArrayNode();
        }
        return ((ArrayNode) readJson(METRICS).path("epochs")).deepCopy();
    }

    /** The architecture the manifest records, as the family's spec class (for example {@code SiameseSpec}). */
    public <T> T spec(Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(readJson(MANIFEST).path("spec"), type);
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest of " + dir + " has no readable " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a manifest written in a newer format than this Trainyard reads. Manifests without a
     * format version come from before it was recorded and are format 1.
     */
    public static void requireFormat(JsonNode manifest, String modelDir) {
        int v = manifest.path("format_version").asInt(1);
        if (v > FORMAT_VERSION) {
            throw new IllegalArgumentException("model folder " + modelDir + " has format version " + v + "; this Trainyard reads up to "
                    + FORMAT_VERSION + " (upgrade Trainyard to read it)");
        }
    }

    private String file(String name) {
        return dir + "/" + name;
    }

    /** Where training starts: a fresh network at epoch 1, or the last checkpoint's network and the epoch after it. */
    public record Start(ComputationGraph network, int firstEpoch, java.util.Optional<String> checkpoint) {
    }

    /**
     * Opens a model directory for training. Refuses one overlapping an input ({@code inputs}: option
     * to path) and a non-empty one unless resuming or told to overwrite it. A new directory is
     * trained in place (so a killed run can be resumed); replacing one trains into a staging sibling
     * that {@link #commit()} swaps in, so a failed run leaves the old model as it was.
     */
    public static ModelDir prepare(Storage storage, String output, boolean resume, boolean overwrite, java.util.Map<String, String> inputs) {
        String d = Storage.stripSlash(output);
        if (resume) {
            PathOverlap.refuse(storage, "--output", d, inputs);
            return new ModelDir(storage, d, null, true);
        }
        if (!overwrite && !storage.list(d).isEmpty()) {
            throw new IllegalArgumentException("model directory " + d + " is not empty; pass --resume to continue it or --overwrite to replace it");
        }
        OutputDir out = OutputDir.open(storage, d, overwrite, OutputKind.MODEL, inputs);
        return new ModelDir(storage, out.path(), out, false);
    }

    /**
     * Marks a finished model complete; a run that replaced an old model swaps it in now. A run that
     * failed while replacing drops its staging directory ({@link #abandon()}).
     */
    public void commit() {
        if (output != null) {
            output.commit();
        } else if (resumed) {
            OutputDir.markComplete(storage, dir, OutputKind.MODEL);
        }
    }

    /** After a failed run: a replacing run drops its staging directory; a new one keeps its checkpoints for --resume. */
    public void abandon() {
        if (output != null && output.replacing()) {
            output.abandon();
        }
    }

    /**
     * The last checkpoint when resuming (dropping metrics lines of epochs it does not contain),
     * else a fresh network from {@code fresh}.
     */
    public Start start(boolean resume, ArrayNode epochs, java.util.function.Supplier<ComputationGraph> fresh) {
        java.util.Optional<CheckpointStore.ResumePoint> point = resume ? checkpoints().resumePoint() : java.util.Optional.empty();
        if (point.isEmpty()) {
            if (resume && !epochs.isEmpty()) {
                throw new IllegalArgumentException("--resume: " + dir + " has metrics for " + epochs.size()
                        + " epochs but no checkpoint; refusing to start again from epoch 1 (nothing was deleted)");
            }
            return new Start(fresh.get(), 1, java.util.Optional.empty());
        }
        String cp = point.get().checkpoint();
        point.get().passedOver().forEach(why -> LOG.warn("--resume: passed over {}", why));
        int first = CheckpointStore.epochOf(cp) + 1;
        for (int i = epochs.size() - 1; i >= 0; i--) {
            if (epochs.get(i).path("epoch").asInt() >= first) {
                epochs.remove(i);
            }
        }
        return new Start(storage.withLocalFile(cp, p -> ModelFiles.readGraph(p, true)), first, java.util.Optional.of(cp));
    }

    /**
     * The manifest fields every trained model has: what it is, whether training finished, its
     * architecture and training settings, the data it saw, where it ran and with which versions.
     * Jobs add their own fields (derived seeds, initialisation) to the returned object.
     */
    public static ObjectNode manifest(String model, Object spec, TrainingConfig training, String dataPath, JsonNode dataMeta,
                                      String sparkMaster, String sparkVersion, ObjectNode timing) {
        ObjectNode m = Json.object();
        m.put("model", model);
        m.put("format_version", FORMAT_VERSION);
        m.put("written_at", java.time.Instant.now().toString());
        m.put("complete", timing != null);
        m.set("spec", Json.MAPPER.valueToTree(spec));
        m.set("training", Json.MAPPER.valueToTree(training));
        m.put("seed", training.seed());
        ObjectNode data = m.putObject("data");
        data.put("path", dataPath);
        data.put("kind", dataMeta.path("kind").asText());
        data.put("schema_version", dataMeta.path("schema_version").asInt());
        data.set("details", dataMeta.path("details"));
        m.put("spark_master", sparkMaster);
        m.set("versions", BuildInfo.versions(sparkVersion));
        if (timing != null) {
            m.set("timing", timing);
        }
        return m;
    }


    public static ObjectNode metrics(ArrayNode epochs) {
        ObjectNode m = Json.object();
        m.set("epochs", epochs);
        return m;
    }
}
