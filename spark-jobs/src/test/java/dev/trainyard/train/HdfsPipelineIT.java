package dev.trainyard.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.testing.MiniHdfs;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.trainyard.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Siamese pipeline against a real HDFS (MiniDFSCluster on 127.0.0.1): raw pairs, the prepared
 * dataset, DL4J's exported minibatches (the Export training approach, which needs a file system
 * every executor reads), the model directory with its checkpoints, the evaluation and the model
 * registry all live on hdfs://.
 */
class HdfsPipelineIT {
    @TempDir
    Path tmp;

    @Test
    void prepTrainWithExportEvaluateAndPromoteOnHdfs() throws Exception {
        try (MiniHdfs hdfs = new MiniHdfs(tmp.resolve("hdfs"))) {
            FileSystem fs = hdfs.fs();
            Path local = tmp.resolve("pairs.tsv");
            long rows = SyntheticPairGenerator.write(local, 2500, 0.37, 5);
            String root = hdfs.uri() + "/trainyard";
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(root + "/raw/pairs.tsv"));

            String data = root + "/pairs";
            String export = root + "/dl4j-export";
            String model = root + "/models/candidate";
            String eval = root + "/eval/candidate.json";
            run(0, "prep", "pairs", "--input", root + "/raw/pairs.tsv", "--format", "quora", "--output", data, "--vector-size", "16");
            JsonNode summary = Json.MAPPER.readTree(read(fs, data + "/prep-summary.json"));
            assertEquals(rows, summary.path("rows_read").asLong(), "every raw row is counted: " + summary);
            assertEquals(rows, summary.path("rows_written").asLong() + summary.path("rows_quarantined").asLong());

            run(0, "train", "siamese", "--data", data, "--output", model, "--workers", "2", "--epochs", "2",
                    "--batch-size-per-worker", "32", "--averaging-frequency", "2", "--rdd-training-approach", "export", "--export-dir", export);
            assertTrue(countFiles(fs, export) > 0, "DL4J exported minibatches to " + export);
            JsonNode manifest = Json.MAPPER.readTree(read(fs, model + "/manifest.json"));
            assertEquals("epoch-0002.zip", read(fs, model + "/checkpoints/LATEST").trim(), "checkpoints are written to HDFS");
            assertEquals("EXPORT", manifest.path("training").path("approach").asText());
            assertTrue(manifest.path("complete").asBoolean());

            run(0, "evaluate", "--model", model, "--data", data, "--output", eval);
            JsonNode e = Json.MAPPER.readTree(read(fs, eval));
            assertTrue(e.path("metrics").path("accuracy").asDouble() > e.path("baseline").path("accuracy").asDouble(),
                    "trained from HDFS, better than the majority baseline: " + e.path("metrics"));
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(root + "/eval/candidate.html")), "the HTML report sits beside the JSON on HDFS");

            String registry = root + "/registry";
            run(0, "promote", "--model", model, "--evaluation", eval, "--registry", registry, "--name", "quora-siamese");
            assertEquals("v0001", read(fs, registry + "/quora-siamese/CURRENT").trim());
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(registry + "/quora-siamese/versions/v0001/model.zip")));
        }
    }


    private static String read(FileSystem fs, String path) throws java.io.IOException {
        try (var in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int countFiles(FileSystem fs, String dir) throws java.io.IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
        if (!fs.exists(p)) {
            return 0;
        }
        int n = 0;
        RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(p, true);
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }
}
