package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.trainyard.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A labelled file prepared as test data only (no dev or train split) is judged by the decision rule
 * the model recorded at training, never by a threshold chosen on an empty set, and against its own
 * majority class.
 */
class ScoreOnlyEvaluationIT {
    @TempDir
    static Path tmp;
    private static String data;
    private static String model;
    private static String scoreOnly;

    @BeforeAll
    static void trainAndPrepNewData() throws Exception {
        Path raw = tmp.resolve("train.tsv");
        SyntheticPairGenerator.write(raw, 4000, 0.37, 11);
        data = tmp.resolve("data").toString();
        model = tmp.resolve("model").toString();
        run(0, "prep", "pairs", "--input", raw.toString(), "--format", "quora", "--output", data, "--vector-size", "32");
        run(0, "train", "siamese", "--data", data, "--output", model, "--epochs", "4", "--hidden", "32,32", "--workers", "2",
                "--batch-size-per-worker", "32");
        Path fresh = tmp.resolve("new.tsv");
        // mostly duplicates, unlike the training data: a baseline taken from anything but this split picks the wrong class
        SyntheticPairGenerator.write(fresh, 800, 0.7, 12);
        scoreOnly = tmp.resolve("new").toString();
        run(0, "prep", "pairs", "--input", fresh.toString(), "--format", "quora", "--output", scoreOnly, "--split", "test",
                "--fit-from", data);
    }

    @Test
    void scoreOnlyDataIsJudgedByTheModelsRecordedRuleAndItsOwnMajority() throws Exception {
        JsonNode rule = Json.MAPPER.readTree(Path.of(model, DecisionRule.FILE).toFile());
        assertEquals("dev", rule.path("chosen_on").asText(), "training records the rule chosen on its data's dev split: " + rule);
        String out = tmp.resolve("new-eval.json").toString();
        run(0, "evaluate", "--model", model, "--data", scoreOnly, "--output", out);
        JsonNode e = Json.MAPPER.readTree(Path.of(out).toFile());
        assertEquals("model", e.path("threshold").path("source").asText(), e.path("threshold").toString());
        assertEquals(-rule.path("threshold").asDouble(), e.path("threshold").path("value").asDouble(), 1e-12,
                "the distance threshold reported is the recorded one");

        long positives = 0;
        long n = 0;
        for (Row r : LocalSpark.get().read().parquet(DatasetMetadata.splitDir(scoreOnly, PairSchema.VERSION, "test"))
                .select(PairSchema.LABEL).collectAsList()) {
            positives += r.getInt(0);
            n++;
        }
        assertEquals(1, positives * 2 > n ? 1 : 0, "the new file is mostly duplicates");
        assertEquals(1, e.path("baseline").path("majority_class").asInt(), "the baseline is the evaluated split's majority");
        assertEquals(positives / (double) n, e.path("baseline").path("accuracy").asDouble(), 1e-9);
        JsonNode confusion = e.path("metrics").path("confusion");
        assertTrue(confusion.path("true_positive").asLong() + confusion.path("false_positive").asLong() > 0,
                "the recorded threshold calls some pairs duplicates (a threshold chosen on nothing called none): " + e.path("metrics"));
        assertTrue(Files.readString(Path.of(out.replace(".json", ".html"))).contains("the model's recorded rule"),
                "the HTML report says where the threshold came from");
    }

    @Test
    void withoutDevPairsOrARecordedRuleNothingIsChosenOnAnEmptySet() throws Exception {
        String err = run(2, "evaluate", "--model", model, "--data", scoreOnly, "--threshold-from", "dev", "--output",
                tmp.resolve("x.json").toString());
        assertTrue(err.contains("no labelled dev pairs"), err);

        Path bare = tmp.resolve("model-without-rule");
        org.apache.commons.io.FileUtils.copyDirectory(Path.of(model).toFile(), bare.toFile());
        Files.delete(bare.resolve(DecisionRule.FILE));
        err = run(2, "evaluate", "--model", bare.toString(), "--data", scoreOnly, "--output", tmp.resolve("y.json").toString());
        assertTrue(err.contains("records no decision rule") && err.contains("--threshold-from VALUE"), err);

        String given = tmp.resolve("given.json").toString();
        run(0, "evaluate", "--model", model, "--data", scoreOnly, "--threshold-from", "0.5", "--output", given);
        JsonNode e = Json.MAPPER.readTree(Path.of(given).toFile());
        assertEquals("value", e.path("threshold").path("source").asText());
        assertEquals(0.5, e.path("threshold").path("value").asDouble(), 1e-12);
    }

    @Test
    void theRecordedRuleIsWhatDevWouldChooseOnTheTrainingData() throws Exception {
        String fromDev = tmp.resolve("dev.json").toString();
        String fromModel = tmp.resolve("model.json").toString();
        run(0, "evaluate", "--model", model, "--data", data, "--output", fromDev);
        run(0, "evaluate", "--model", model, "--data", data, "--threshold-from", "model", "--output", fromModel);
        JsonNode a = Json.MAPPER.readTree(Path.of(fromDev).toFile());
        JsonNode b = Json.MAPPER.readTree(Path.of(fromModel).toFile());
        assertEquals("dev", a.path("threshold").path("source").asText());
        assertEquals(a.path("threshold").path("value").asDouble(), b.path("threshold").path("value").asDouble(), 1e-12);
        for (String m : new String[]{"accuracy", "f1", "roc_auc", "precision", "recall"}) {
            assertEquals(a.path("metrics").path(m).asDouble(), b.path("metrics").path(m).asDouble(), 1e-12, m);
        }
        assertEquals(a.path("metrics").path("log_loss").asDouble(), b.path("metrics").path("log_loss").asDouble(), 1e-6);
    }
}
