package dev.trainyard.testing;

import dev.trainyard.cli.TrainyardCli;
import dev.trainyard.prep.testing.LocalSpark;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs trainyard commands in the test JVM, as a user would type them, on the shared local Spark. */
public final class Cli {
    private Cli() {
    }

    /** Runs a command, asserts its exit code, and returns what it wrote to stderr. */
    public static String run(int expected, String... args) {
        LocalSpark.get(); // the commands attach to this local session (getOrCreate) and stop it when done
        StringWriter err = new StringWriter();
        int code = TrainyardCli.commandLine().setErr(new PrintWriter(err)).execute(args);
        assertEquals(expected, code, "trainyard " + String.join(" ", args) + ": " + err);
        return err.toString();
    }
}
