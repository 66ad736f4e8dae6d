package dev.trainyard.zoo.io;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The one way Trainyard opens a DL4J model file. DL4J's {@link ModelSerializer} Java-deserialises
 * some zip entries (a {@code preprocessor.bin}, for one), so a model file could carry code. Here a
 * model zip is data only: its entries must be the ones Trainyard writes (configuration JSON,
 * coefficients, updater state), the configuration's classes must be DL4J's, ND4J's or Trainyard's,
 * and DL4J is handed a fresh zip holding just those entries. Anything else is refused with an
 * {@link IllegalArgumentException} naming the file and the entry, before DL4J reads a byte.
 */
public final class ModelFiles {
    public static final String CONFIGURATION = "configuration.json";
    public static final String COEFFICIENTS = "coefficients.bin";
    public static final String UPDATER_STATE = "updaterState.bin";
    private static final Set<String> ENTRIES = Set.of(CONFIGURATION, COEFFICIENTS, UPDATER_STATE, "noParams.marker");
    private static final String[] CLASS_PREFIXES = {"org.deeplearning4j.", "org.nd4j.", "dev.trainyard."};
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFiles() {
    }

    public static ComputationGraph readGraph(Path file, boolean loadUpdater) {
        return readGraph(bytes(file), file.toString(), loadUpdater);
    }

    /** @param name what the bytes are called in errors (their file, or "member 3 of ensemble.zip") */
    public static ComputationGraph readGraph(byte[] zip, String name, boolean loadUpdater) {
        byte[] clean = dataOnly(zip, name);
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(clean), loadUpdater);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(name + " is not a readable DL4J ComputationGraph: " + e.getMessage(), e);
        }
    }

    public static MultiLayerNetwork readMultiLayer(byte[] zip, String name) {
        byte[] clean = dataOnly(zip, name);
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(clean), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(name + " is not a readable DL4J network: " + e.getMessage(), e);
        }
    }

    /** A network as a DL4J zip in memory (without its updater state): what is broadcast to score on executors. */
    public static byte[] toBytes(ComputationGraph net) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, bytes, false);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("model file not found: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A new zip with the model's entries, after checking there is nothing else in it. */
    static byte[] dataOnly(byte[] zip, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(zip.length);
        Set<String> seen = new HashSet<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip)); ZipOutputStream clean = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String entry = e.getName();
                if (!ENTRIES.contains(entry)) {
                    throw new IllegalArgumentException(name + " holds the entry '" + entry + "', which Trainyard does not write; "
                            + "refusing to load it (model files are data only: " + String.join(", ", ENTRIES) + ")");
                }
                if (!seen.add(entry)) {
                    throw new IllegalArgumentException(name + " holds the entry '" + entry + "' twice; refusing to load it");
                }
                byte[] data = in.readAllBytes();
                if (entry.equals(CONFIGURATION)) {
                    checkClasses(data, name);
                }
                clean.putNextEntry(new ZipEntry(entry));
                clean.write(data);
                clean.closeEntry();
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException(name + " is not a model zip: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " cannot be read as a model zip: " + e.getMessage(), e);
        }
        if (!seen.contains(CONFIGURATION)) {
            throw new IllegalArgumentException(name + " is not a DL4J model zip (no " + CONFIGURATION + ")");
        }
        return out.toByteArray();
    }

    /** Every class the configuration names (Jackson's "@class") is DL4J's, ND4J's or Trainyard's. */
    private static void checkClasses(byte[] json, String name) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": " + CONFIGURATION + " is not JSON: " + e.getMessage(), e);
        }
        String bad = foreignClass(root);
        if (bad != null) {
            throw new IllegalArgumentException(name + ": " + CONFIGURATION + " names the class " + bad
                    + ", which is not part of DL4J, ND4J or Trainyard; refusing to load it");
        }
    }

    private static String foreignClass(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("@class") && f.getValue().isTextual() && !trusted(f.getValue().asText())) {
                    return f.getValue().asText();
                }
                String inner = foreignClass(f.getValue());
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                String inner = foreignClass(n);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static boolean trusted(String className) {
        for (String p : CLASS_PREFIXES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
