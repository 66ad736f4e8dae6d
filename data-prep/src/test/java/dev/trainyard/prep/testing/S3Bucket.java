package dev.trainyard.prep.testing;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One bucket on a real S3-compatible server ({@link S3Server}) for the tests of a class:
 * {@code @RegisterExtension static S3Bucket store = new S3Bucket("name");} starts the server
 * before the first test and stops it after the last.
 */
public final class S3Bucket implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private Path workDir;
    private S3Server server;
    private String root;

    public S3Bucket(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        workDir = Files.createTempDirectory("trainyard-s3-");
        server = new S3Server(workDir);
        root = server.createBucket(name);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
        org.apache.commons.io.FileUtils.deleteQuietly(workDir.toFile());
    }

    public S3Server server() {
        return server;
    }

    /** s3a://NAME */
    public String root() {
        return root;
    }

    /** A Hadoop configuration that reaches the bucket. */
    public Configuration conf() {
        Configuration conf = new Configuration();
        server.configure(conf);
        return conf;
    }
}
