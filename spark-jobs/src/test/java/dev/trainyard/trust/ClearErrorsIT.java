package dev.trainyard.trust;

import dev.trainyard.prep.text.SyntheticPairGenerator;
import dev.trainyard.train.ModelDir;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.trainyard.trust.OverwriteSafetyIT.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input a user can reach gives one clear line naming the file or option, and exit 2; never a stack trace. */
class ClearErrorsIT {
    @TempDir
    static Path tmp;
    static Path raw;
    static String data;
    static Path model;

    @BeforeAll
    static void prepare() throws IOException {
        raw = tmp.resolve("pairs.tsv");
        SyntheticPairGenerator.write(raw, 300, 0.37, 9);
        data = tmp.resolve("data").toString();
        assertEquals(0, cli("prep", "pairs", "--input", raw.toString(), "--format", "quora", "--output", data, "--vector-size", "8")
                .code());
        model = tmp.resolve("model");
        assertEquals(0, cli("train", "siamese", "--data", data, "--output", model.toString(), "--epochs", "1", "--hidden", "8,8")
                .code());
    }

    private static void assertClear(OverwriteSafetyIT.Outcome o, String mustName) {
        assertEquals(2, o.code(), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
        assertTrue(o.err().contains(mustName), "names " + mustName + ": " + o.err());
    }

    @Test
    void aUsageErrorIsOneLineAndAHint() {
        OverwriteSafetyIT.Outcome o = cli("train", "siamese", "--data");
        assertEquals(2, o.code());
        assertTrue(o.err().strip().lines().count() <= 2, o.err());
        assertTrue(o.err().contains("--help"), o.err());
    }

    @Test
    void notGzipAndTruncatedGzipInputsNameTheFile() throws IOException {
        Path fake = Files.copy(raw, tmp.resolve("fake.tsv.gz"));
        assertClear(cli("prep", "pairs", "--input", fake.toString(), "--format", "quora", "--output", tmp.resolve("o1").toString()),
                fake.toString());
        Path gz = tmp.resolve("whole.tsv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(raw));
        }
        byte[] bytes = Files.readAllBytes(gz);
        Path cut = Files.write(tmp.resolve("cut.tsv.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        OverwriteSafetyIT.Outcome o = cli("prep", "pairs", "--input", cut.toString(), "--format", "quora", "--output",
                tmp.resolve("o2").toString());
        assertClear(o, cut.toString());
        assertTrue(o.err().contains("truncated"), o.err());
    }

    @Test
    void aRandomModelZipIsRefusedNamingIt() throws IOException {
        Path model = tmp.resolve("random-model");
        org.apache.commons.io.FileUtils.copyDirectory(ClearErrorsIT.model.toFile(), model.toFile());
        byte[] noise = new byte[2048];
        new java.util.Random(5).nextBytes(noise);
        Path zip = Files.write(model.resolve(ModelDir.MODEL), noise);
        assertClear(cli("evaluate", "--model", model.toString(), "--data", data, "--output", tmp.resolve("e.json").toString()),
                zip.toString());
    }

    @Test
    void aModelOfAnUnknownFamilyOrANewerFormatIsRefusedByName() throws IOException {
        for (String[] change : new String[][]{{"\"model\" : \"siamese\"", "\"model\" : \"transformer\""},
                {"\"format_version\" : 1", "\"format_version\" : 99"}}) {
            Path model = tmp.resolve("changed-" + change[1].hashCode());
            org.apache.commons.io.FileUtils.copyDirectory(ClearErrorsIT.model.toFile(), model.toFile());
            Path manifest = model.resolve(ModelDir.MANIFEST);
            String text = Files.readString(manifest);
            assertTrue(text.contains(change[0]), text);
            Files.writeString(manifest, text.replace(change[0], change[1]));
            for (String[] command : new String[][]{
                    {"evaluate", "--model", model.toString(), "--data", data, "--output", tmp.resolve("u.json").toString()},
                    {"promote", "--model", model.toString(), "--evaluation", tmp.resolve("u.json").toString(), "--registry",
                            tmp.resolve("registry").toString(), "--name", "u"}}) {
                OverwriteSafetyIT.Outcome o = cli(command);
                assertClear(o, model.toString());
                assertTrue(o.err().contains(change[1].contains("99") ? "format version 99" : "'transformer' model"), o.err());
            }
        }
    }

    @Test
    void aDemoOutputThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertClear(cli("demo", "--output", file.toString()), file.toString());
    }

    @Test
    void trainingThatDivergesFailsNamingWhyAndSavesNoModel() {
        Path model = tmp.resolve("diverged");
        OverwriteSafetyIT.Outcome o = cli("train", "siamese", "--data", data, "--output", model.toString(), "--epochs", "2",
                "--updater", "sgd", "--learning-rate", "1e30", "--hidden", "8,8", "--batch-size-per-worker", "32");
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().contains("training diverged") && o.err().contains("not a finite number"), o.err());
        assertFalse(Files.exists(model.resolve(ModelDir.MODEL)), "no model.zip is written as final");
    }

    @Test
    void aSplitTheDataDoesNotHaveIsNamedWithTheSplitsItHas() {
        OverwriteSafetyIT.Outcome o = cli("evaluate", "--model", model.toString(), "--data", data, "--split", "nosuch", "--output",
                tmp.resolve("nosuch.json").toString());
        assertClear(o, "no split 'nosuch'");
        assertTrue(o.err().contains("dev, test, train"), o.err());
    }

    @Test
    void aModelOnDataOfAnotherVectorSizeIsRefused() {
        String other = tmp.resolve("data-12").toString();
        assertEquals(0, cli("prep", "pairs", "--input", raw.toString(), "--format", "quora", "--output", other, "--vector-size", "12")
                .code());
        assertClear(cli("evaluate", "--model", model.toString(), "--data", other, "--output", tmp.resolve("v.json").toString()),
                "12-dimensional");
    }

    @Test
    void imagePrepThatWritesNothingExitsTwoAndKeepsItsQuarantine() throws IOException {
        Path bad = Files.write(tmp.resolve("bad.idx"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        Path out = tmp.resolve("images");
        assertClear(cli("prep", "images", "--images", bad.toString(), "--labels", bad.toString(), "--output", out.toString()),
                "nothing was written");
        assertTrue(Files.exists(out.resolve("prep-summary.json")) && Files.isDirectory(out.resolve("quarantine")));
    }
}
