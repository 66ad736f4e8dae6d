package dev.trainyard.cli;

import picocli.CommandLine.Option;

/** {@code --overwrite}, the same on every command that writes a folder (see the user guide's "What Trainyard guarantees"). */
public final class OverwriteOption {
    @Option(names = "--overwrite", description = "Replace the output folder if it exists; only a folder Trainyard wrote, and never an input.")
    boolean overwrite;

    public boolean value() {
        return overwrite;
    }
}
