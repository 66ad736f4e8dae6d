package dev.trainyard.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.cli.TrainyardCli;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.testing.SharedData;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands users run, end to end on real local Spark: prep -> train -> evaluate. */
class SiamesePipelineIT {
    @TempDir
    Path tmp;

    private static int run(String... args) {
        LocalSpark.get(); // the commands attach to this local[2] session (getOrCreate) and stop it when done
        StringWriter err = new StringWriter();
        int code = TrainyardCli.commandLine().setErr(new PrintWriter(err)).execute(args);
        assertEquals(0, code, "trainyard " + String.join(" ", args) + " failed: " + err);
        return code;
    }

    private static JsonNode json(Path p) throws IOException {
        return Json.MAPPER.readTree(p.toFile());
    }

    @Test
    void syntheticPairsTrainResumeAndEvaluateThroughTheCli() throws IOException {
        Path raw = tmp.resolve("pairs.tsv");
        SyntheticPairGenerator.write(raw, 3000, 0.37, 11);
        String data = tmp.resolve("data").toString();
        String model = tmp.resolve("model").toString();
        run("prep", "pairs", "--input", raw.toString(), "--format", "quora", "--output", data, "--vector-size", "32");
        run("train", "siamese", "--data", data, "--output", model, "--epochs", "2", "--batch-size-per-worker", "32",
                "--workers", "2", "--hidden", "32,32,32");

        // a later run with --resume continues after the last checkpoint
        run("train", "siamese", "--data", data, "--output", model, "--epochs", "4", "--batch-size-per-worker", "32",
                "--workers", "2", "--hidden", "32,32,32", "--resume");
        JsonNode metrics = json(Path.of(model, ModelDir.METRICS));
        assertEquals(4, metrics.path("epochs").size());
        assertEquals(3, metrics.path("epochs").get(2).path("epoch").asInt());
        assertTrue(metrics.path("epochs").get(3).path("train_loss").asDouble() < metrics.path("epochs").get(0).path("train_loss").asDouble());

        JsonNode manifest = json(Path.of(model, ModelDir.MANIFEST));
        assertTrue(manifest.path("complete").asBoolean());
        assertEquals(1, manifest.path("data").path("schema_version").asInt());
        assertEquals(42, manifest.path("seed").asLong());
        assertTrue(manifest.path("versions").path("dl4j").asText().startsWith("1.0.0"));
        assertTrue(manifest.path("timing").path("examples_per_second").asDouble() > 0);

        // plain DL4J loads the model
        ComputationGraph plain = ModelSerializer.restoreComputationGraph(Path.of(model, ModelDir.MODEL).toFile(), false);
        assertEquals(2, plain.getNumInputArrays());

        Path eval = tmp.resolve("eval.json");
        run("evaluate", "--model", model, "--data", data, "--output", eval.toString());
        JsonNode e = json(eval);
        for (String k : new String[]{"accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"}) {
            assertTrue(e.path("metrics").has(k), k);
        }
        assertEquals("dev", e.path("threshold").path("chosen_on").asText());
        JsonNode c = e.path("metrics").path("confusion");
        assertEquals(e.path("metrics").path("examples").asLong(), c.path("true_positive").asLong() + c.path("false_positive").asLong()
                + c.path("true_negative").asLong() + c.path("false_negative").asLong());
        assertTrue(e.path("metrics").path("accuracy").asDouble() > e.path("baseline").path("accuracy").asDouble(),
                "synthetic duplicates are learnable: " + e);
        String html = Files.readString(tmp.resolve("eval.html"));
        assertTrue(html.contains("<svg") && html.contains("majority baseline"));

        // the diagnosis: errors at the chosen threshold, against the majority baseline when no reference is given
        JsonNode d = e.path("diagnosis");
        assertEquals(1 - e.path("metrics").path("accuracy").asDouble(), d.path("test_error").asDouble(), 1e-12);
        assertEquals(1 - e.path("dev_metrics").path("accuracy").asDouble(), d.path("dev_error").asDouble(), 1e-12);
        assertEquals(1 - e.path("baseline").path("accuracy").asDouble(), d.path("reference_error").asDouble(), 1e-12);
        assertEquals(d.path("train_error").asDouble() - d.path("reference_error").asDouble(), d.path("avoidable_bias").asDouble(), 1e-12);
        assertEquals(d.path("dev_error").asDouble() - d.path("train_error").asDouble(), d.path("variance").asDouble(), 1e-12);
        assertTrue(html.contains("Diagnosis") && html.contains("Dominant: " + d.path("dominant").asText()), "the report states the verdict");
        Path withReference = tmp.resolve("eval-ref.json");
        run("evaluate", "--model", model, "--data", data, "--output", withReference.toString(), "--reference-error", "0.02");
        assertEquals(0.02, json(withReference).path("diagnosis").path("reference_error").asDouble(), 1e-12);
    }

    @Test
    void aSequenceTowerTrainsOnSparkFromThePrepsWordVectorsAndEvaluates() throws IOException {
        Path raw = tmp.resolve("pairs.tsv");
        SyntheticPairGenerator.write(raw, 2000, 0.37, 12);
        String data = tmp.resolve("data").toString();
        String model = tmp.resolve("seq-model").toString();
        run("prep", "pairs", "--input", raw.toString(), "--format", "quora", "--output", data, "--vector-size", "16");
        run("train", "siamese", "--data", data, "--output", model, "--epochs", "3", "--batch-size-per-worker", "32",
                "--workers", "2", "--hidden", "32", "--encoder", "sequence", "--embedding", "frozen",
                "--rnn-units", "16", "--conv-filters", "16", "--max-tokens", "24");

        JsonNode prep = dev.trainyard.prep.common.DatasetMetadata.require(new dev.trainyard.prep.common.Storage(LocalSpark.get().sparkContext().hadoopConfiguration()), data,
                dev.trainyard.prep.text.PairSchema.DATASET_KIND, dev.trainyard.prep.text.PairSchema.VERSION).path("details");
        JsonNode encoder = json(Path.of(model, ModelDir.MANIFEST)).path("spec").path("encoder");
        assertEquals(prep.path("vocabulary_size").asInt() + 2, encoder.path("vocabulary").asInt(), "one embedding row per id");
        assertEquals(24, encoder.path("maxLength").asInt());
        JsonNode metrics = json(Path.of(model, ModelDir.METRICS)).path("epochs");
        assertTrue(metrics.get(2).path("train_loss").asDouble() < metrics.get(0).path("train_loss").asDouble(), metrics.toString());

        // a frozen embedding is still exactly the prep's word vectors after training
        ComputationGraph net = ModelSerializer.restoreComputationGraph(Path.of(model, ModelDir.MODEL).toFile(), false);
        float[][] vectors = dev.trainyard.prep.text.TextFitter.load(LocalSpark.get(), data).text().vectorsById();
        org.nd4j.linalg.api.ndarray.INDArray w = net.getLayer(dev.trainyard.zoo.siamese.SequenceTower.EMBEDDING).getParam("W");
        int checked = 0;
        for (int id = 2; id < vectors.length && checked < 20; id++) {
            if (vectors[id] != null) {
                assertTrue(w.getRow(id).equalsWithEps(org.nd4j.linalg.factory.Nd4j.createFromArray(vectors[id]), 0), "row " + id);
                checked++;
            }
        }
        assertTrue(checked > 0);

        Path eval = tmp.resolve("seq-eval.json");
        run("evaluate", "--model", model, "--data", data, "--output", eval.toString());
        JsonNode e = json(eval);
        assertTrue(e.path("metrics").path("accuracy").asDouble() > e.path("baseline").path("accuracy").asDouble(),
                "the sequence tower learns synthetic duplicates: " + e.path("metrics"));
    }

    @Test
    void realMrpcTrainSplitBeatsTheMajorityBaselineOnHeldOutPairs() throws IOException {
        Path mrpc = SharedData.require("mrpc/msr_paraphrase_train.txt");
        Path glove = SharedData.require("glove/glove.6B.100d.top10k-wink.txt.gz");
        String data = tmp.resolve("mrpc").toString();
        String model = tmp.resolve("mrpc-model").toString();
        run("prep", "pairs", "--input", mrpc.toString(), "--format", "mrpc", "--output", data, "--vectors", glove.toString());
        run("train", "siamese", "--data", data, "--output", model, "--epochs", "10", "--batch-size-per-worker", "32", "--workers", "2");
        Path eval = tmp.resolve("mrpc-eval.json");
        run("evaluate", "--model", model, "--data", data, "--output", eval.toString());
        JsonNode e = json(eval);
        double acc = e.path("metrics").path("accuracy").asDouble();
        double base = e.path("baseline").path("accuracy").asDouble();
        assertTrue(acc > base, "MRPC test accuracy " + acc + " vs majority baseline " + base);
        assertTrue(e.path("metrics").path("roc_auc").asDouble() > 0.6, "ranking clearly better than chance: " + e.path("metrics"));
    }
}
