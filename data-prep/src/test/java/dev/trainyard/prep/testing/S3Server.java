package dev.trainyard.prep.testing;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real S3-compatible object store on 127.0.0.1 for a test: S3Proxy (in-memory blobs) in a JVM of
 * its own, on the classpath the s3-test-server module writes. Clients reach it through Hadoop's S3A
 * with {@link #hadoopSettings()}; close() stops it. Its state lives in that process, so a test can
 * kill a client mid-write and read what the store kept.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "trainyard";
    public static final String SECRET_KEY = "trainyard-test-secret";
    private static final Path CLASSPATH = Path.of("..", "s3-test-server", "target", "s3proxy.classpath");
    private final Process process;
    private final int port;

    public S3Server(Path workDir) throws IOException, InterruptedException {
        if (!Files.exists(CLASSPATH)) {
            throw new IllegalStateException(CLASSPATH.toAbsolutePath() + " is missing: build from the repository root (mvn verify) so the "
                    + "s3-test-server module writes it");
        }
        Files.createDirectories(workDir);
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path props = workDir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=transient",
                "jclouds.identity=unused",
                "jclouds.credential=unused", ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx1g", "-DLOG_LEVEL=warn", "-cp", Files.readString(CLASSPATH).trim(),
                "org.gaul.s3proxy.Main", "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("s3proxy.log").toFile()).start();
        awaitListening(workDir.resolve("s3proxy.log"));
    }

    /** The S3A settings that reach this server (endpoint, path-style addressing, credentials). */
    public Map<String, String> hadoopSettings() {
        return Map.of(
                "fs.s3a.endpoint", endpoint(),
                "fs.s3a.path.style.access", "true",
                "fs.s3a.connection.ssl.enabled", "false",
                "fs.s3a.access.key", ACCESS_KEY,
                "fs.s3a.secret.key", SECRET_KEY,
                "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "fs.s3a.bucket.probe", "0",
                "fs.s3a.attempts.maximum", "2",
                "fs.s3a.retry.limit", "2");
    }

    /** Applies {@link #hadoopSettings()} to a configuration (for example a SparkContext's). */
    public void configure(Configuration conf) {
        hadoopSettings().forEach(conf::set);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Creates a bucket (S3A never creates one) and returns its s3a:// root. */
    public String createBucket(String name) {
        AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint(), "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
                .build();
        try {
            s3.createBucket(name);
        } finally {
            s3.shutdown();
        }
        return "s3a://" + name;
    }

    private void awaitListening(Path log) throws IOException, InterruptedException {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode(); // any answer (403 for an anonymous request) means it is serving
                c.disconnect();
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("S3Proxy did not answer on " + endpoint() + " within 60 s: " + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
