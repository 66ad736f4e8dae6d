package dev.trainyard.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, the same on every command with randomness: one seed makes a run repeatable. What it seeds is
 * the command's (its help footer says when that needs saying).
 */
public final class SeedOption {
    @Option(names = "--seed", defaultValue = "42", description = "Seed for everything random in this command. Default: ${DEFAULT-VALUE}.")
    long seed;

    public long value() {
        return seed;
    }
}
