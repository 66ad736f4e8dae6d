package dev.trainyard.bench;

import dev.trainyard.cli.TrainyardCli;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With this module's jar on the classpath, {@code trainyard bench} is a subcommand of the one CLI (found through ServiceLoader). */
class BenchCliTest {

    @ParameterizedTest
    @ValueSource(strings = {"bench", "bench training", "bench averaging", "bench prep-pairs", "bench prep-video", "bench besnet",
            "bench headline", "bench predict"})
    void everyBenchCommandHasHelpUnderTheTrainyardCli(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = TrainyardCli.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute((command + " --help").split(" ")));
        assertTrue(out.toString().startsWith("Usage: trainyard " + command), out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bench prep-pairs --runs 0", "bench training --data d --workers 0", "bench nonsense"})
    void badOptionsExitWithCode2AndSayWhy(String command) {
        StringWriter err = new StringWriter();
        CommandLine cli = TrainyardCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(command.split(" ")));
        assertTrue(err.toString().startsWith("trainyard "), err.toString());
    }
}
