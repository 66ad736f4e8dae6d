package dev.trainyard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar on a real standalone cluster (a Master and two Workers on 127.0.0.1, from the
 * Maven jars), submitted with SparkSubmit as users do: generate -> prep -> train with parameter
 * averaging on two executors -> evaluate, each a separate application.
 */
class StandaloneClusterIT {
    @TempDir
    Path tmp;

    @Test
    void theSiamesePipelineRunsOnTwoExecutorsOfAStandaloneCluster() throws Exception {
        Path target = Path.of("target");
        Path jar = target.resolve("trainyard.jar");
        assertTrue(Files.exists(jar), "the shaded jar is built in 'package', before integration tests");
        Path log = tmp.resolve("submit.log");
        List<String> conf = StandaloneCluster.twoExecutors(
                // as deploy/submit/trainyard-submit.sh: Kryo with Trainyard's registrator, registration required
                "spark.serializer=org.apache.spark.serializer.KryoSerializer", "spark.kryo.registrator=dev.trainyard.runtime.TrainyardKryoRegistrator",
                "spark.kryo.registrationRequired=true");
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp, target.resolve("spark-classpath.txt"), jar, 2, 1, "2g")) {
            String data = cluster.preparePairs(jar, log, conf, tmp, 3000, 16);
            String model = tmp.resolve("model").toString();
            String eval = tmp.resolve("eval.json").toString();
            assertEquals(0, cluster.submit(jar, log, conf, "train", "siamese", "--data", data, "--output", model,
                    "--workers", "2", "--epochs", "3", "--batch-size-per-worker", "32", "--averaging-frequency", "2"), StandaloneCluster.tail(log));
            assertEquals(0, cluster.submit(jar, log, conf, "evaluate", "--model", model, "--data", data, "--output", eval), StandaloneCluster.tail(log));

            // generate runs on the driver alone; prep, train and evaluate are Spark applications
            JsonNode status = cluster.status();
            for (int i = 0; i < 40 && status.path("completedapps").size() < 3; i++) {
                Thread.sleep(250);
                status = cluster.status();
            }
            assertEquals(2, status.path("aliveworkers").asInt());
            java.util.Set<String> names = new java.util.TreeSet<>();
            for (JsonNode app : status.path("completedapps")) {
                names.add(app.path("name").asText());
                assertEquals(2, app.path("cores").asInt(), "each application held two executor cores: " + app);
            }
            assertEquals(java.util.Set.of("trainyard prep pairs", "trainyard train siamese", "trainyard evaluate"), names);
            JsonNode manifest = Json.MAPPER.readTree(Path.of(model, "manifest.json").toFile());
            assertEquals(cluster.masterUrl, manifest.path("spark_master").asText());
            JsonNode metrics = Json.MAPPER.readTree(Path.of(eval).toFile());
            assertTrue(metrics.path("metrics").path("accuracy").asDouble() > metrics.path("baseline").path("accuracy").asDouble(),
                    "trained on the cluster, better than the majority baseline: " + metrics.path("metrics"));
        }
    }
}
