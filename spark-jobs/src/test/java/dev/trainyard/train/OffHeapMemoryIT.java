package dev.trainyard.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.cli.TrainyardCli;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long run (many epochs of parameter averaging on two local Spark workers, each epoch
 * broadcasting parameters and averaging them back dozens of times) keeps ND4J's off-heap memory
 * flat: after warm-up, neither JavaCPP's tracked off-heap bytes nor the process's resident memory
 * keep growing with the epochs. A leak of one parameter copy per round would add MBs per epoch.
 */
class OffHeapMemoryIT {
    private static final int EPOCHS = 30;
    private static final int WARMUP = 5;
    @TempDir
    Path tmp;

    @Test
    void offHeapMemoryStaysFlatOverManyEpochs() throws Exception {
        Path raw = tmp.resolve("pairs.tsv");
        SyntheticPairGenerator.write(raw, 1500, 0.37, 3);
        String data = tmp.resolve("data").toString();
        String model = tmp.resolve("model").toString();
        run("prep", "pairs", "--input", raw.toString(), "--format", "quora", "--output", data, "--vector-size", "16");
        run("train", "siamese", "--data", data, "--output", model, "--epochs", String.valueOf(EPOCHS), "--workers", "2",
                "--batch-size-per-worker", "32", "--averaging-frequency", "1", "--hidden", "64,64");
        JsonNode epochs = Json.MAPPER.readTree(Path.of(model, ModelDir.METRICS).toFile()).path("epochs");
        assertEquals(EPOCHS, epochs.size());
        StringBuilder table = new StringBuilder("epoch offheap_MB rss_MB\n");
        for (JsonNode e : epochs) {
            table.append(String.format("%d %.1f %.1f%n", e.path("epoch").asInt(), e.path("offheap_bytes").asLong() / 1e6,
                    e.path("rss_bytes").asLong() / 1e6));
        }
        System.out.print(table);
        double offheapSlope = slopeAfterWarmup(epochs, "offheap_bytes");
        double rssSlope = slopeAfterWarmup(epochs, "rss_bytes");
        // the model is ~50k parameters (0.2 MB); 60 averaging rounds per epoch leaking one copy each would be 12 MB/epoch
        assertTrue(Math.abs(offheapSlope) < 0.5e6, "off-heap bytes grow " + offheapSlope / 1e6 + " MB per epoch\n" + table);
        assertTrue(rssSlope < 2e6, "resident memory grows " + rssSlope / 1e6 + " MB per epoch\n" + table);
    }

    /** Least-squares slope of a per-epoch value against the epoch, over the epochs after warm-up. */
    private static double slopeAfterWarmup(JsonNode epochs, String field) {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (JsonNode e : epochs) {
            int x = e.path("epoch").asInt();
            if (x <= WARMUP) {
                continue;
            }
            double y = e.path(field).asDouble();
            n++;
            sx += x;
            sy += y;
            sxx += (double) x * x;
            sxy += x * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    private static void run(String... args) {
        LocalSpark.get();
        assertEquals(0, TrainyardCli.commandLine().execute(args), "trainyard " + String.join(" ", args));
    }
}
