package dev.trainyard.demo;

import java.nio.file.Path;

/** {@code trainyard demo}. */
public record DemoConfig(Path output, long rows, int epochs, int workers, long seed) {
    public DemoConfig {
        if (rows < 100) {
            throw new IllegalArgumentException("--rows must be >= 100 for a meaningful demo, got " + rows);
        }
        if (epochs < 1 || workers < 1) {
            throw new IllegalArgumentException("--epochs and --workers must be >= 1");
        }
    }
}
