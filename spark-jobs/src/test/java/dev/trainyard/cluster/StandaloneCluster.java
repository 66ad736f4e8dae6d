package dev.trainyard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Json;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster on 127.0.0.1, started from the Maven jars: a SPARK_HOME whose
 * {@code jars/} links to the Spark jars of {@code target/spark-classpath.txt} plus the shaded
 * application jar (Spark's own compile-scope dependencies, slf4j and commons-lang3 among them, are
 * in that jar rather than in the provided-scope list, as with {@code ./trainyard}), one Master and N
 * Workers as separate JVMs (loopback only), and {@code SparkSubmit} runs against it. Every process
 * is stopped by PID on {@link #close()}.
 */
final class StandaloneCluster implements AutoCloseable {
    /** Spark's Java 17 options, from the one list every Trainyard JVM uses. */
    static final List<String> JAVA_17_OPTIONS = java17Options(Path.of("..", "deploy", "java17-opens.txt"));

    private static List<String> java17Options(Path list) {
        try {
            return Files.readAllLines(list).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + list.toAbsolutePath(), e);
        }
    }

    /** The application settings every cluster test starts from: two one-core executors of 1 GB, no UI. */
    static final List<String> TWO_EXECUTORS = List.of("spark.executor.memory=1g", "spark.executor.cores=1", "spark.cores.max=2",
            "spark.ui.enabled=false");

    /** {@link #TWO_EXECUTORS} plus {@code extra} settings. */
    static List<String> twoExecutors(String... extra) {
        List<String> conf = new ArrayList<>(TWO_EXECUTORS);
        conf.addAll(List.of(extra));
        return conf;
    }

    private final Path home;
    private final String sparkClasspath;
    private final List<Process> processes = new ArrayList<>();
    final String masterUrl;
    final int webUiPort;

    private StandaloneCluster(Path home, String sparkClasspath, String masterUrl, int webUiPort) {
        this.home = home;
        this.sparkClasspath = sparkClasspath;
        this.masterUrl = masterUrl;
        this.webUiPort = webUiPort;
    }

    /** Starts a Master and {@code workers} Workers of {@code cores} cores each; waits until all are registered. */
    static StandaloneCluster start(Path dir, Path sparkClasspathFile, Path appJar, int workers, int cores, String workerMemory)
            throws IOException, InterruptedException {
        return start(dir, sparkClasspathFile, appJar, workers, cores, workerMemory, List.of());
    }

    /** As above, with extra JVM options for the Workers (e.g. {@code -Dspark.worker.resource.gpu.amount=2}). */
    static StandaloneCluster start(Path dir, Path sparkClasspathFile, Path appJar, int workers, int cores, String workerMemory,
                                   List<String> workerJavaOptions) throws IOException, InterruptedException {
        return start(dir, sparkClasspathFile, appJar, workers, cores, workerMemory, workerJavaOptions, List.of());
    }

    /** As above, with JVM options for the Master and the Workers alike (e.g. {@code -Dspark.authenticate=true}). */
    static StandaloneCluster start(Path dir, Path sparkClasspathFile, Path appJar, int workers, int cores, String workerMemory,
                                   List<String> workerJavaOptions, List<String> daemonJavaOptions)
            throws IOException, InterruptedException {
        String cp = Files.readString(sparkClasspathFile).trim() + ":" + appJar.toAbsolutePath();
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String jar : cp.split(":")) {
            Path src = Path.of(jar);
            Files.createSymbolicLink(jars.resolve(src.getFileName()), src);
        }
        int port = freePort();
        int ui = freePort();
        StandaloneCluster c = new StandaloneCluster(home, cp, "spark://127.0.0.1:" + port, ui);
        try {
            c.spawn("master", daemonJavaOptions, List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port),
                    "--webui-port", String.valueOf(ui)));
            for (int w = 0; w < workers; w++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + w));
                List<String> options = new ArrayList<>(daemonJavaOptions);
                options.addAll(workerJavaOptions);
                c.spawn("worker-" + w, options, List.of("org.apache.spark.deploy.worker.Worker", c.masterUrl, "--host", "127.0.0.1",
                        "--webui-port", String.valueOf(freePort()), "--cores", String.valueOf(cores), "--memory", workerMemory,
                        "--work-dir", work.toString()));
            }
            c.awaitWorkers(workers, Duration.ofSeconds(90));
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void spawn(String name, List<String> javaOptions, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m"));
        cmd.addAll(JAVA_17_OPTIONS);
        cmd.addAll(javaOptions);
        cmd.addAll(List.of("-cp", sparkClasspath));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve(name + ".log").toFile());
        environment(pb.environment());
        processes.add(pb.start());
    }

    private void environment(Map<String, String> env) {
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
    }

    /** The Master's status (its web UI's JSON). */
    JsonNode status() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webUiPort + "/json/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    private void awaitWorkers(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (status().path("aliveworkers").asInt() >= n) {
                    return;
                }
            } catch (IOException notYet) {
                // the Master's web UI is not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the standalone cluster did not register " + n + " workers in " + timeout
                + "; logs in " + home);
    }

    /**
     * Runs {@code trainyard ARGS} through SparkSubmit (client mode) against this cluster; returns
     * the exit code. Output goes to {@code log}.
     */
    int submit(Path appJar, Path log, List<String> sparkConf, String... args) throws IOException, InterruptedException {
        Process p = submitAsync(appJar, log, sparkConf, args);
        // an application that never gets executors waits forever; fail it instead of the CI run
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("trainyard " + String.join(" ", args) + " did not finish in 10 minutes:\n" + tail(log));
        }
        return p.exitValue();
    }

    /** Starts {@code trainyard ARGS} through SparkSubmit (client mode: this process is the driver) and returns at once. */
    Process submitAsync(Path appJar, Path log, List<String> sparkConf, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx1g"));
        cmd.addAll(JAVA_17_OPTIONS);
        cmd.addAll(List.of("-cp", sparkClasspath, "org.apache.spark.deploy.SparkSubmit", "--master", masterUrl,
                "--deploy-mode", "client", "--class", "dev.trainyard.cli.TrainyardCli",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", JAVA_17_OPTIONS),
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1"));
        for (String c : sparkConf) {
            cmd.addAll(List.of("--conf", c));
        }
        cmd.add(appJar.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment(pb.environment());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /**
     * Kills Worker {@code w} and the executor JVMs it launched with SIGKILL, as when its machine
     * is lost; returns how many executor processes died with it.
     */
    int killWorker(int w) throws InterruptedException {
        Process worker = processes.get(1 + w);
        List<ProcessHandle> executors = worker.descendants().toList();
        executors.forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
        worker.waitFor();
        for (ProcessHandle e : executors) {
            e.onExit().join();
        }
        return executors.size();
    }

    /**
     * {@code generate pairs} then {@code prep pairs} as two submitted applications (SYNTHETIC
     * Quora-format pairs); returns the prepared dataset's path.
     */
    String preparePairs(Path appJar, Path log, List<String> sparkConf, Path dir, int rows, int vectorSize)
            throws IOException, InterruptedException {
        String pairs = dir.resolve("pairs.tsv").toString();
        String data = dir.resolve("data").toString();
        if (submit(appJar, log, sparkConf, "generate", "pairs", "--rows", String.valueOf(rows), "--output", pairs) != 0
                || submit(appJar, log, sparkConf, "prep", "pairs", "--input", pairs, "--format", "quora", "--output", data,
                "--vector-size", String.valueOf(vectorSize)) != 0) {
            throw new IllegalStateException("generate/prep pairs failed on the cluster:\n" + tail(log));
        }
        return data;
    }

    /** The last 40 lines of a submit log, for assertion messages. */
    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    Path home() {
        return home;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
