package dev.trainyard.objectstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.cli.TrainyardCli;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.testing.S3Bucket;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Siamese pipeline with everything on an object store: a real S3-compatible server (S3Proxy)
 * reached through Hadoop's S3A client. Raw pairs, the prepared dataset, the model directory with
 * its checkpoints, the evaluation and the registry all live on s3a://; nothing is written locally.
 */
class ObjectStorePipelineIT {
    @RegisterExtension
    static final S3Bucket STORE = new S3Bucket("trainyard");
    @TempDir
    static Path tmp;
    @Test
    void prepTrainResumeEvaluateAndPromoteOnS3() throws Exception {
        FileSystem fs = fs();
        Path local = tmp.resolve("pairs.tsv");
        long rows = SyntheticPairGenerator.write(local, 2500, 0.37, 5);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(STORE.root() + "/raw/pairs.tsv"));

        String data = STORE.root() + "/datasets/pairs";
        String model = STORE.root() + "/models/candidate";
        String eval = STORE.root() + "/eval/candidate.json";
        String[] prep = {"prep", "pairs", "--input", STORE.root() + "/raw/pairs.tsv", "--format", "quora", "--output", data, "--vector-size", "16"};
        run(0, prep);
        JsonNode summary = json(fs, data + "/prep-summary.json");
        assertEquals(rows, summary.path("rows_read").asLong(), "every raw row is counted: " + summary);
        assertEquals(rows, summary.path("rows_written").asLong() + summary.path("rows_quarantined").asLong());

        String[] train = {"train", "siamese", "--data", data, "--output", model, "--workers", "2", "--batch-size-per-worker", "32",
                "--averaging-frequency", "2", "--hidden", "16,16"};
        run(0, concat(train, "--epochs", "1"));
        assertTrue(exists(fs, model + "/checkpoints/epoch-0001.zip") && exists(fs, model + "/checkpoints/epoch-0001.zip.sha256"),
                "checkpoints are written to the object store");
        assertEquals("epoch-0001.zip", read(fs, model + "/checkpoints/LATEST").trim());
        run(0, concat(train, "--epochs", "2", "--resume"));
        JsonNode epochs = json(fs, model + "/metrics.json").path("epochs");
        assertEquals(2, epochs.size(), "the resumed run continued the object-store model: " + epochs);
        assertEquals("epoch-0001.zip", epochs.get(1).path("resumed_from").asText());
        assertTrue(json(fs, model + "/manifest.json").path("complete").asBoolean());
        assertTrue(json(fs, model + "/_trainyard.json").path("complete").asBoolean());

        run(0, "evaluate", "--model", model, "--data", data, "--output", eval);
        JsonNode e = json(fs, eval);
        assertTrue(e.path("metrics").path("accuracy").asDouble() > e.path("baseline").path("accuracy").asDouble(),
                "trained from the object store, better than the majority baseline: " + e.path("metrics"));
        assertTrue(exists(fs, STORE.root() + "/eval/candidate.html"), "the HTML report sits beside the JSON");

        String registry = STORE.root() + "/registry";
        run(0, "promote", "--model", model, "--evaluation", eval, "--registry", registry, "--name", "quora-siamese");
        assertEquals("v0001", read(fs, registry + "/quora-siamese/CURRENT").trim());
        assertTrue(exists(fs, registry + "/quora-siamese/versions/v0001/model.zip"));
        assertFalse(exists(fs, registry + "/quora-siamese/versions/v0001/checkpoints"), "checkpoints are not published");
        // a second promote re-evaluates the current version from the object store
        run(0, "promote", "--model", model, "--evaluation", eval, "--registry", registry, "--name", "quora-siamese");
        JsonNode index = json(fs, registry + "/quora-siamese/registry.json");
        assertEquals(2, index.path("versions").size());
        assertEquals("v0001", read(fs, registry + "/quora-siamese/CURRENT").trim(), "an equal candidate does not replace CURRENT");

        // replacing the dataset on the object store: the new one is complete and readable, the old one is gone
        run(0, concat(prep, "--overwrite", "--seed", "7"));
        assertTrue(json(fs, data + "/_trainyard.json").path("complete").asBoolean());
        assertFalse(exists(fs, STORE.root() + "/datasets/.pairs.trainyard-staging"), "the staging copy is removed");
        assertEquals(7, json(fs, data + "/v1/_dataset.json").path("details").path("seed").asInt(), "the metadata is the new run's");
        run(0, "evaluate", "--model", model, "--data", data, "--output", STORE.root() + "/eval/after-replace.json");
    }

    @Test
    void imagesAndAnEnsembleLiveOnS3Too() throws Exception {
        FileSystem fs = fs();
        String raw = STORE.root() + "/raw";
        writeIdx(fs, raw + "/images.idx", raw + "/labels.idx", 400, 3);
        String data = STORE.root() + "/datasets/images";
        String ensemble = STORE.root() + "/models/ensemble";
        run(0, "prep", "images", "--images", raw + "/images.idx", "--labels", raw + "/labels.idx", "--output", data,
                "--split", "train", "--dev-fraction", "0.2", "--num-classes", "3");
        run(0, "train", "ensemble", "--data", data, "--output", ensemble, "--members", "2", "--epochs", "1", "--filters", "4,8",
                "--dense", "16");
        assertTrue(exists(fs, ensemble + "/ensemble.zip") && exists(fs, ensemble + "/manifest.json"));
        String eval = STORE.root() + "/eval/ensemble.json";
        run(0, "evaluate", "--model", ensemble, "--data", data, "--split", "dev", "--output", eval);
        assertTrue(json(fs, eval).path("datasets").path(0).path("accuracy").has("mean"), json(fs, eval).toString());
    }

    private static void writeIdx(FileSystem fs, String images, String labels, int n, int classes) throws java.io.IOException {
        dev.trainyard.prep.images.SyntheticImages.write(fs.create(new org.apache.hadoop.fs.Path(images)), fs.create(new org.apache.hadoop.fs.Path(labels)),
                n, classes, 28, 3);
    }

    @Test
    void anInterruptedReplacementOnTheObjectStoreIsRefusedNotHalfRead() throws Exception {
        FileSystem fs = fs();
        Path local = tmp.resolve("pairs-small.tsv");
        SyntheticPairGenerator.write(local, 600, 0.37, 9);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(STORE.root() + "/raw/small.tsv"));
        String data = STORE.root() + "/datasets/small";
        run(0, "prep", "pairs", "--input", STORE.root() + "/raw/small.tsv", "--format", "quora", "--output", data, "--vector-size", "8");
        // what replaceByCopy's first step leaves if the run dies right after it
        String marker = read(fs, data + "/_trainyard.json").replace("\"complete\" : true", "\"complete\" : false");
        try (var out = fs.create(new org.apache.hadoop.fs.Path(data + "/_trainyard.json"), true)) {
            out.write(marker.getBytes(StandardCharsets.UTF_8));
        }
        String err = run(2, "train", "siamese", "--data", data, "--output", STORE.root() + "/models/never", "--epochs", "1");
        assertTrue(err.contains("is incomplete"), err);
        run(0, "prep", "pairs", "--input", STORE.root() + "/raw/small.tsv", "--format", "quora", "--output", data, "--vector-size", "8",
                "--overwrite");
        assertTrue(json(fs, data + "/_trainyard.json").path("complete").asBoolean(), "a rerun with --overwrite repairs it");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String run(int expected, String... args) {
        // the commands attach to this local session (getOrCreate), which reaches the store through S3A
        STORE.server().configure(LocalSpark.get().sparkContext().hadoopConfiguration());
        StringWriter err = new StringWriter();
        int code = TrainyardCli.commandLine().setErr(new PrintWriter(err)).execute(args);
        assertEquals(expected, code, "trainyard " + String.join(" ", args) + ": " + err);
        return err.toString();
    }

    private static FileSystem fs() throws Exception {
        return new org.apache.hadoop.fs.Path(STORE.root()).getFileSystem(STORE.conf());
    }

    private static boolean exists(FileSystem fs, String path) throws java.io.IOException {
        return fs.exists(new org.apache.hadoop.fs.Path(path));
    }

    private static String read(FileSystem fs, String path) throws java.io.IOException {
        try (var in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(FileSystem fs, String path) throws java.io.IOException {
        return Json.MAPPER.readTree(read(fs, path));
    }
}
