package dev.trainyard.cluster;

import dev.trainyard.prep.text.SyntheticPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone cluster whose Master and Workers require Spark's RPC authentication: an application
 * with the shared secret (and RPC plus shuffle/spill encryption, as deploy/submit's AUTH=on
 * ENCRYPT=on set it) runs a prep job on the executors; a client without the secret is refused.
 */
class ClusterSecurityIT {
    private static final String SECRET = "trainyard-it-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    @TempDir
    Path tmp;

    @Test
    void anApplicationWithTheSecretRunsAndOneWithoutIsRefused() throws Exception {
        Path target = Path.of("target");
        Path jar = target.resolve("trainyard.jar");
        assertTrue(Files.exists(jar), "the shaded jar is built in 'package', before integration tests");
        Path pairs = tmp.resolve("pairs.tsv");
        SyntheticPairGenerator.write(pairs, 400, 0.37, 1);
        List<String> daemons = List.of("-Dspark.authenticate=true", "-Dspark.authenticate.secret=" + SECRET);
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp, target.resolve("spark-classpath.txt"), jar, 1, 1, "2g", List.of(),
                daemons)) {
            Path withSecret = tmp.resolve("with-secret.log");
            List<String> secured = StandaloneCluster.twoExecutors("spark.cores.max=1", "spark.authenticate=true",
                    "spark.authenticate.secret=" + SECRET, "spark.network.crypto.enabled=true", "spark.io.encryption.enabled=true");
            String data = tmp.resolve("data").toString();
            assertEquals(0, cluster.submit(jar, withSecret, secured, "prep", "pairs", "--input", pairs.toString(), "--format", "quora",
                    "--output", data, "--vector-size", "8"), StandaloneCluster.tail(withSecret));
            assertTrue(Files.exists(Path.of(data, "prep-summary.json")));

            Path without = tmp.resolve("without-secret.log");
            String refusedData = tmp.resolve("refused").toString();
            int code = cluster.submit(jar, without, StandaloneCluster.twoExecutors("spark.cores.max=1"), "prep", "pairs", "--input",
                    pairs.toString(), "--format", "quora", "--output", refusedData, "--vector-size", "8");
            assertNotEquals(0, code, StandaloneCluster.tail(without));
            String log = Files.readString(without);
            System.out.println("client without the secret:\n" + StandaloneCluster.tail(without));
            assertTrue(log.contains("All masters are unresponsive") || log.contains("Application has been killed"),
                    "the Master would not talk to the client: " + StandaloneCluster.tail(without));
            assertFalse(Files.exists(Path.of(refusedData, "prep-summary.json")), "nothing ran for the client without the secret");
        }
    }
}
