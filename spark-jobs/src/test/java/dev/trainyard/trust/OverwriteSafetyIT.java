package dev.trainyard.trust;

import dev.trainyard.cli.TrainyardCli;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import dev.trainyard.train.ModelDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --overwrite never deletes what Trainyard did not write, nor an input of the same command. */
class OverwriteSafetyIT {
    @TempDir
    Path tmp;

    /** Exit code and what the command printed on stderr. */
    record Outcome(int code, String err) {
    }

    static Outcome cli(String... args) {
        LocalSpark.get();
        StringWriter err = new StringWriter();
        int code = TrainyardCli.commandLine().setErr(new PrintWriter(err)).execute(args);
        return new Outcome(code, err.toString());
    }

    @Test
    void prepWithItsInputInsideTheOutputIsRefusedAndDeletesNothing() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("work"));
        Path raw = dir.resolve("pairs.tsv");
        SyntheticPairGenerator.write(raw, 200, 0.37, 3);
        Path unrelated = Files.writeString(dir.resolve("notes.txt"), "keep me");
        Outcome o = cli("prep", "pairs", "--input", raw.toString(), "--format", "quora", "--output", dir.toString(), "--overwrite",
                "--vector-size", "8");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(raw.toString()) && o.err().contains(dir.toString()), o.err());
        assertTrue(Files.exists(raw) && Files.exists(unrelated), "input and unrelated file are still there");
    }

    @Test
    void trainingIntoItsOwnDatasetIsRefusedAndAModelIsReplacedOnlyWhole() throws IOException {
        Path raw = tmp.resolve("pairs.tsv");
        SyntheticPairGenerator.write(raw, 400, 0.37, 5);
        String data = tmp.resolve("data").toString();
        assertEquals(0, cli("prep", "pairs", "--input", raw.toString(), "--format", "quora", "--output", data, "--vector-size", "8")
                .code());

        Outcome self = cli("train", "siamese", "--data", data, "--output", data, "--overwrite", "--epochs", "1");
        assertEquals(2, self.code(), self.err());
        assertTrue(Files.exists(Path.of(DatasetMetadata.versionDir(data, 1), DatasetMetadata.FILE)), "the dataset is intact");

        Path model = tmp.resolve("model");
        String[] train = {"train", "siamese", "--data", data, "--output", model.toString(), "--epochs", "1", "--hidden", "8,8",
                "--batch-size-per-worker", "32"};
        assertEquals(0, cli(train).code());
        Path foreign = Files.writeString(model.resolve("my-notes.md"), "mine");
        String[] again = java.util.stream.Stream.concat(java.util.Arrays.stream(train), java.util.stream.Stream.of("--overwrite"))
                .toArray(String[]::new);
        Outcome refused = cli(again);
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains(foreign.toString()), refused.err());
        Files.delete(foreign);
        Files.writeString(model.resolve("checkpoints/epoch-0099.zip"), "stale");
        assertEquals(0, cli(again).code());
        assertTrue(Files.exists(model.resolve(ModelDir.MODEL)));
        assertTrue(!Files.exists(model.resolve("checkpoints/epoch-0099.zip")), "the old model directory was replaced whole");
    }
}
