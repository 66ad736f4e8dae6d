package dev.trainyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Json;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code trainyard inflate} on a randomly initialised DL4J zoo ResNet50 saved to a file (no download here). */
class InflateCommandTest {
    @Test
    void inflatesAZooResNet50FileAndReportsEveryParameter(@TempDir Path dir) throws Exception {
        ComputationGraph resnet = ResNet50.builder().numClasses(7).inputShape(new int[]{3, 160, 160}).build().init();
        Path src = dir.resolve("resnet50.zip");
        ModelSerializer.writeModel(resnet, src.toFile(), false);
        Path out = dir.resolve("inflated.zip");

        int code = TrainyardCli.commandLine().execute("inflate", "--from", src.toString(), "--output", out.toString(),
                "--frames", "4", "--size", "160");
        assertEquals(0, code);
        JsonNode report = Json.MAPPER.readTree(dir.resolve("inflated-report.json").toFile());
        assertTrue(report.path("complete").asBoolean(), report.toString());
        assertEquals(resnet.paramTable().size(), report.path("used").size());
        assertEquals(7, report.path("spec").path("numClasses").asInt());
        ComputationGraph besnet = ModelSerializer.restoreComputationGraph(out.toFile(), false);
        assertEquals(report.path("besnet_parameters").asLong(), besnet.numParams());

        // another class count: the classifier is new, the rest still maps, exit code 0
        assertEquals(0, TrainyardCli.commandLine().execute("inflate", "--from", src.toString(), "--output",
                dir.resolve("k5.zip").toString(), "--classes", "5", "--frames", "4", "--size", "160"));
        JsonNode k5 = Json.MAPPER.readTree(dir.resolve("k5-report.json").toFile());
        assertEquals(2, k5.path("mismatched").size(), k5.path("mismatched").toString());
    }
}
