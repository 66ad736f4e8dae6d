package dev.trainyard.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained model's directory: {@code model.zip} (plain DL4J, loadable with ModelSerializer),
 * {@code manifest.json} (config, seed, data, versions, timings), {@code metrics.json} (per epoch)
 * and {@code checkpoints/}.
 */
public final class ModelDir {
    public static final String MODEL = "model.zip";
    public static final String MANIFEST = "manifest.json";
    public static final String METRICS = "metrics.json";
    private final Path dir;

    public ModelDir(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public CheckpointStore checkpoints() {
        return new CheckpointStore(dir, 3);
    }

    public void writeModel(ComputationGraph net) {
        try {
            Files.createDirectories(dir);
            CheckpointStore.writeAtomically(dir.resolve(MODEL), tmp -> ModelSerializer.writeModel(net, tmp.toFile(), true));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(MODEL), e);
        }
    }

    public ComputationGraph readModel() {
        Path p = dir.resolve(MODEL);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("no trained model at " + dir + " (" + MODEL + " missing)");
        }
        try {
            return ModelSerializer.restoreComputationGraph(p.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    public void writeJson(String name, JsonNode node) {
        try {
            Files.createDirectories(dir);
            CheckpointStore.writeAtomically(dir.resolve(name), tmp -> Files.writeString(tmp, Json.write(node)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    public JsonNode readJson(String name) {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("model directory " + dir + " has no " + name);
        }
        try {
            return Json.MAPPER.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + p, e);
        }
    }

    /** Per-epoch metrics written so far (empty for a new run). */
    public ArrayNode epochs() {
        if (!Files.exists(dir.resolve(METRICS))) {
            return Json.MAPPER.createArrayNode();
        }
        return ((ArrayNode) readJson(METRICS).path("epochs")).deepCopy();
    }

    public SiameseSpec spec() {
        try {
            return Json.MAPPER.treeToValue(readJson(MANIFEST).path("spec"), SiameseSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("manifest of " + dir + " has no readable Siamese spec", e);
        }
    }

    /** Where training starts: a fresh network at epoch 1, or the last checkpoint's network and the epoch after it. */
    public record Start(ComputationGraph network, int firstEpoch, java.util.Optional<Path> checkpoint) {
    }

    /**
     * Opens a model directory for training: refuses a non-empty one unless resuming or told to
     * overwrite it (then empties it).
     */
    public static ModelDir prepare(String output, boolean resume, boolean overwrite) {
        String scheme = java.net.URI.create(output.replace(" ", "%20")).getScheme();
        if (scheme != null && !scheme.equals("file")) {
            throw new IllegalArgumentException("MODEL_DIR " + output + " must be a directory on the driver (checkpoints are written "
                    + "there as training runs); publish models to " + scheme + ":// with 'trainyard promote --registry'");
        }
        Path d = Path.of(scheme == null ? output : java.net.URI.create(output).getPath());
        try {
            boolean nonEmpty = Files.isDirectory(d) && Files.list(d).findAny().isPresent();
            if (nonEmpty && !resume) {
                if (!overwrite) {
                    throw new IllegalArgumentException("model directory " + d
                            + " is not empty; pass --resume to continue it or --overwrite to replace it");
                }
                org.apache.commons.io.FileUtils.deleteDirectory(d.toFile());
            }
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ModelDir(d);
    }

    /**
     * The last checkpoint when resuming (dropping metrics lines of epochs it does not contain),
     * else a fresh network from {@code fresh}.
     */
    public Start start(boolean resume, ArrayNode epochs, java.util.function.Supplier<ComputationGraph> fresh) {
        java.util.Optional<Path> cp = resume ? checkpoints().latest() : java.util.Optional.empty();
        if (cp.isEmpty()) {
            return new Start(fresh.get(), 1, cp);
        }
        int first = CheckpointStore.epochOf(cp.get()) + 1;
        for (int i = epochs.size() - 1; i >= 0; i--) {
            if (epochs.get(i).path("epoch").asInt() >= first) {
                epochs.remove(i);
            }
        }
        try {
            return new Start(ModelSerializer.restoreComputationGraph(cp.get().toFile(), true), first, cp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + cp.get(), e);
        }
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
