package dev.trainyard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.cli.TrainyardCli;
import dev.trainyard.prep.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of docker/ and deploy/ without a Docker engine or a cluster: the files the
 * Dockerfiles copy exist (or are the build's jar), base images are pinned, the entrypoint routes
 * each mode to the right command, every per-job submit script builds a spark-submit line with the
 * cluster's master, Kryo and (for GPU jobs) GPU scheduling, whose trainyard arguments pass the real
 * CLI's --dry-run, and the GPU discovery script prints Spark's JSON.
 */
class DeployFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern COPY = Pattern.compile("^COPY\\s+(?!--from)(\\S+)\\s+\\S+", Pattern.MULTILINE);
    private static final Pattern FROM = Pattern.compile("^ARG \\w+_IMAGE=(\\S+)", Pattern.MULTILINE);
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.cpu", "Dockerfile.cuda"})
    void dockerfilesCopyFilesThatExistFromPinnedImages(String name) throws IOException {
        String df = Files.readString(ROOT.resolve("docker").resolve(name));
        Matcher m = COPY.matcher(df);
        int copies = 0;
        while (m.find()) {
            copies++;
            String src = m.group(1);
            if (src.equals("spark-jobs/target/trainyard.jar")) {
                assertTrue(Files.readString(ROOT.resolve("spark-jobs/pom.xml")).contains("${project.build.directory}/trainyard.jar"),
                        "the shaded jar is built to " + src);
            } else {
                assertTrue(Files.exists(ROOT.resolve(src)), name + " copies " + src + ", which is not in the repository");
            }
        }
        assertTrue(copies >= 3, name + ": jar, deploy/ and the entrypoint");
        Matcher images = FROM.matcher(df);
        int pinned = 0;
        while (images.find()) {
            pinned++;
            String image = images.group(1);
            assertTrue(image.matches("[\\w./-]+:[\\w.-]+") && !image.endsWith(":latest"), name + ": base image not pinned: " + image);
        }
        assertTrue(pinned >= 1, name + " names its base images in ARGs");
        assertTrue(df.contains("ENTRYPOINT [\"/opt/trainyard/entrypoint.sh\"]"), name);
    }

    /** deploy/java17-opens.txt is the one list: the build reads it for the test JVMs, so this JVM runs with every option in it. */
    @Test
    void theTestJvmRunsWithTheOneJava17List() throws IOException {
        List<String> list = Files.readAllLines(ROOT.resolve("deploy/java17-opens.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        List<String> running = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertTrue(running.containsAll(list), "missing from this JVM: " + list.stream().filter(o -> !running.contains(o)).toList());
        assertTrue(!Files.readString(ROOT.resolve("pom.xml")).contains("--add-opens"), "the pom reads the list, it holds no copy");
        assertTrue(list.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), list.toString());
    }

    @Test
    void theEntrypointRoutesEachMode() throws Exception {
        assertEquals(List.of("/opt/entrypoint.sh", "executor", "--x"), entrypoint("executor", "--x"));
        assertEquals(List.of("/opt/entrypoint.sh", "driver"), entrypoint("driver"));
        List<String> cli = entrypoint("trainyard", "train", "siamese", "--data", "d");
        assertEquals("java", cli.get(0));
        assertTrue(cli.containsAll(List.of("dev.trainyard.cli.TrainyardCli", "train", "siamese", "--data", "d")), cli.toString());
        assertTrue(cli.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), "Spark's Java 17 flags: " + cli);
        assertEquals("/tmp/t.jar:/spark/jars/*", cli.get(cli.indexOf("-cp") + 1));
        List<String> submit = entrypoint("submit", "evaluate", "--model", "m");
        assertEquals(List.of("env", "JAR=/tmp/t.jar", "SPARK_SUBMIT=/spark/bin/spark-submit", "/opt/trainyard/deploy/submit/trainyard-submit.sh",
                "evaluate", "--model", "m"), submit);
        assertEquals(List.of("bash", "-c", "echo hi"), entrypoint("bash", "-c", "echo hi"));
        List<String> help = entrypoint();
        assertTrue(String.join("\n", help).contains("trainyard ARGS"), help.toString());
    }

    private List<String> entrypoint(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("docker/entrypoint.sh").toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("TRAINYARD_ENTRYPOINT_ECHO", "1", "TRAINYARD_JAR", "/tmp/t.jar", "SPARK_HOME", "/spark"));
        return lines(pb);
    }

    /** Minimal valid trainyard arguments for each job script. */
    private static final Map<String, List<String>> JOB_ARGS = Map.of(
            "prep-pairs", List.of("--input", "hdfs:///raw/q.tsv", "--format", "quora", "--output", "hdfs:///pairs"),
            "prep-video", List.of("--annotations", "hdfs:///k/a.csv", "--root", "hdfs:///k/videos", "--classes", "hdfs:///k/classes.txt",
                    "--output", "hdfs:///clips"),
            "prep-images", List.of("--images", "hdfs:///m/i.gz", "--labels", "hdfs:///m/l.gz", "--output", "hdfs:///mnist"),
            "train-siamese", List.of("--data", "hdfs:///pairs", "--output", "/models/siamese"),
            "train-besnet", List.of("--data", "hdfs:///clips", "--output", "/models/besnet"),
            "train-ensemble", List.of("--data", "hdfs:///mnist", "--output", "/models/ensemble"),
            "evaluate", List.of("--model", "/models/siamese", "--data", "hdfs:///pairs", "--output", "hdfs:///eval.json"),
            "attack-fgsm", List.of("--model", "/models/ensemble", "--data", "hdfs:///mnist", "--epsilon", "0.2", "--output", "hdfs:///fgsm"),
            "promote", List.of("--model", "/models/siamese", "--evaluation", "hdfs:///eval.json", "--registry", "hdfs:///registry",
                    "--name", "quora-siamese"));

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "yarn", "k8s"})
    void everyJobScriptSubmitsValidTrainyardArgumentsToEachClusterManager(String cluster) throws Exception {
        Path stub = stubSparkSubmit();
        Path jar = Files.writeString(tmp.resolve("trainyard.jar"), "jar");
        List<String> scripts;
        try (Stream<Path> s = Files.list(ROOT.resolve("deploy/submit/jobs"))) {
            scripts = s.map(p -> p.getFileName().toString().replace(".sh", "")).sorted().toList();
        }
        assertEquals(new java.util.TreeSet<>(JOB_ARGS.keySet()), new java.util.TreeSet<>(scripts), "one script per job");
        for (String job : scripts) {
            List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/submit/jobs/" + job + ".sh").toString()));
            cmd.addAll(JOB_ARGS.get(job));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(Map.of("CLUSTER", cluster, "SPARK_SUBMIT", stub.toString(), "JAR", jar.toString()));
            List<String> line = lines(pb);
            String master = line.get(line.indexOf("--master") + 1);
            assertTrue(switch (cluster) {
                case "yarn" -> master.equals("yarn");
                case "k8s" -> master.startsWith("k8s://");
                default -> master.startsWith("spark://");
            }, job + " on " + cluster + ": master " + master);
            assertTrue(line.contains("spark.kryo.registrator=dev.trainyard.runtime.TrainyardKryoRegistrator"), job + ": Kryo with Trainyard's registrator");
            assertTrue(line.contains("spark.kryo.registrationRequired=true"), job + ": Kryo reads only registered classes");
            assertTrue(line.stream().anyMatch(a -> a.startsWith("spark.executor.extraJavaOptions=") && a.contains("javacpp.maxbytes")),
                    job + ": ND4J's off-heap limit on executors");
            boolean gpu = line.contains("spark.plugins=dev.trainyard.runtime.GpuPlugin");
            assertEquals(job.equals("train-besnet"), gpu, job + ": GPU scheduling only where the job wants GPUs");
            if (gpu) {
                assertTrue(line.contains("spark.task.resource.gpu.amount=1") && line.contains("spark.executor.resource.gpu.amount=1"), line.toString());
            }
            List<String> trainyard = new ArrayList<>(line.subList(line.indexOf(jar.toString()) + 1, line.size()));
            trainyard.add("--dry-run");
            assertEquals(0, TrainyardCli.commandLine().execute(trainyard.toArray(String[]::new)), job + ": trainyard " + trainyard);
        }
    }

    @Test
    void gpuDiscoveryPrintsSparksJsonFromNvidiaSmiOrCudaVisibleDevices() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("nvidia-smi"), "#!/bin/sh\nprintf '0\\n1\\n'\n");
        Files.setPosixFilePermissions(bin.resolve("nvidia-smi"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (var c : List.of(Map.of("PATH", bin + ":" + System.getenv("PATH")),
                Map.of("PATH", System.getenv("PATH"), "CUDA_VISIBLE_DEVICES", "2,3"))) {
            ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("deploy/gpu/discover-gpus.sh").toString());
            pb.environment().remove("CUDA_VISIBLE_DEVICES");
            pb.environment().putAll(c);
            JsonNode j = Json.MAPPER.readTree(String.join("\n", lines(pb)));
            assertEquals("gpu", j.path("name").asText());
            List<String> addresses = new ArrayList<>();
            j.path("addresses").forEach(a -> addresses.add(a.asText()));
            assertEquals(c.containsKey("CUDA_VISIBLE_DEVICES") ? List.of("2", "3") : List.of("0", "1"), addresses);
        }
        assertFalse(Files.readString(ROOT.resolve("deploy/gpu-check.sh")).isBlank());
    }

    @Test
    void theSiameseClusterScriptTakesItsAveragingDefaultsFromTheScalingModelUnlessGiven() throws Exception {
        Path stub = stubSparkSubmit();
        Path jar = Files.writeString(tmp.resolve("trainyard.jar"), "jar");
        java.util.function.BiFunction<Map<String, String>, List<String>, List<String>> submit = (env, args) -> {
            List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/submit/jobs/train-siamese.sh").toString(),
                    "--data", "d", "--output", "o"));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(Map.of("CLUSTER", "yarn", "SPARK_SUBMIT", stub.toString(), "JAR", jar.toString()));
            pb.environment().putAll(env);
            try {
                List<String> line = lines(pb);
                return line.subList(line.indexOf(jar.toString()) + 1, line.size());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        List<String> plain = submit.apply(Map.of(), List.of());
        assertEquals("20", plain.get(plain.indexOf("--averaging-frequency") + 1), plain.toString());
        assertEquals("2", plain.get(plain.indexOf("--aggregation-depth") + 1), plain.toString());
        List<String> large = submit.apply(Map.of("NUM_EXECUTORS", "128"), List.of());
        assertEquals("3", large.get(large.indexOf("--aggregation-depth") + 1), "deeper trees from 64 executors: " + large);
        List<String> own = submit.apply(Map.of(), List.of("--averaging-frequency", "7", "--aggregation-depth=4"));
        assertEquals(1, own.stream().filter(a -> a.startsWith("--averaging-frequency")).count(), own.toString());
        assertEquals("7", own.get(own.indexOf("--averaging-frequency") + 1));
        assertTrue(own.contains("--aggregation-depth=4") && !own.contains("--aggregation-depth"), own.toString());
        List<String> withDryRun = new ArrayList<>(own);
        withDryRun.add("--dry-run");
        assertEquals(0, TrainyardCli.commandLine().execute(withDryRun.toArray(String[]::new)));
    }

    /** A spark-submit that prints its arguments, one per line. */
    /** AUTH/ENCRYPT/UI_KEYSTORE turn on Spark's security; secrets reach spark-submit in a private file, never its arguments. */
    @Test
    void securitySettingsKeepSecretsOffTheCommandLine() throws Exception {
        Path stub = tmp.resolve("spark-submit-props");
        // prints its arguments, then the properties file it was given (gone once the script exits)
        Files.writeString(stub, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n"
                + "prev=; for a in \"$@\"; do [ \"$prev\" = --properties-file ] && sed 's/^/PROPS /' \"$a\" "
                + "&& ls -l \"$a\" | cut -c1-10 | sed 's/^/MODE /'; prev=$a; done\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(tmp.resolve("trainyard.jar"), "jar");
        Path secret = Files.writeString(tmp.resolve("secret"), "s3cr3t-value\n");
        Path password = Files.writeString(tmp.resolve("ui-password"), "ui-pass\n");
        java.util.function.BiFunction<String, Map<String, String>, ProcessBuilder> submit = (cluster, env) -> {
            ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("deploy/submit/trainyard-submit.sh").toString(), "evaluate",
                    "--model", "m", "--data", "d", "--output", "o.json").redirectErrorStream(true);
            pb.environment().putAll(Map.of("CLUSTER", cluster, "SPARK_SUBMIT", stub.toString(), "JAR", jar.toString()));
            pb.environment().putAll(env);
            return pb;
        };
        List<String> line = lines(submit.apply("standalone", Map.of("AUTH", "on", "AUTH_SECRET_FILE", secret.toString(),
                "ENCRYPT", "on", "UI_KEYSTORE", "/etc/ks.jks", "UI_KEYSTORE_PASSWORD_FILE", password.toString())));
        List<String> args = line.stream().filter(l -> !l.startsWith("PROPS ") && !l.startsWith("MODE ")).toList();
        assertTrue(args.contains("spark.authenticate=true") && args.contains("spark.network.crypto.enabled=true")
                && args.contains("spark.io.encryption.enabled=true") && args.contains("spark.ssl.ui.enabled=true"), args.toString());
        assertTrue(args.stream().noneMatch(a -> a.contains("s3cr3t-value") || a.contains("ui-pass")), "no secret in the arguments");
        assertTrue(line.contains("PROPS spark.authenticate.secret s3cr3t-value") && line.contains("PROPS spark.ssl.ui.keyStorePassword ui-pass"),
                line.toString());
        assertTrue(line.contains("MODE -rw-------"), "the properties file is private: " + line);

        assertTrue(lines(submit.apply("yarn", Map.of("AUTH", "on"))).contains("spark.authenticate=true"), "YARN makes its own secret");
        List<String> k8s = lines(submit.apply("k8s", Map.of("AUTH", "on", "AUTH_SECRET_FILE", secret.toString())));
        assertTrue(k8s.contains("spark.authenticate.secret.executor.file=" + secret), k8s.toString());

        for (Map<String, String> refused : List.of(Map.of("AUTH", "on"), Map.of("ENCRYPT", "on"), Map.of("AUTH", "yes"))) {
            Process p = submit.apply("standalone", refused).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(2, p.waitFor(), refused + ": " + out);
        }
    }

    private Path stubSparkSubmit() throws IOException {
        Path stub = tmp.resolve("spark-submit");
        Files.writeString(stub, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        return stub;
    }

    private static List<String> lines(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", pb.command()) + ":\n" + out);
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
