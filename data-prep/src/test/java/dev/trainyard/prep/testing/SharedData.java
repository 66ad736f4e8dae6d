package dev.trainyard.prep.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real data sets in ../shared/data; tests that need them are skipped, with a message, where absent. */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String prop = System.getProperty("trainyard.shared.dir");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
        return p.toAbsolutePath().normalize();
    }

    /** The path of a file or folder under shared/data, or skips the calling test when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve("data").resolve(relative);
        Assumptions.assumeTrue(Files.exists(p),
                "skipped: real data " + p + " is absent (it lives in ../shared/data on Trainyard's development machines)");
        return p;
    }
}
