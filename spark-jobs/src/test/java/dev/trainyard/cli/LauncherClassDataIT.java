package dev.trainyard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./trainyard} launcher's class-data archives, on the packaged jar: a subcommand's first
 * run saves one, the next run maps its classes from it and does the same work, and runs that must
 * not leave one (turned off, failed, help) leave none. The jar is reached through a symbolic link
 * in a temporary folder ({@code TRAINYARD_JAR}), so the archives land there and not in target/.
 */
class LauncherClassDataIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    @TempDir
    Path tmp;

    @Test
    void aSubcommandsSecondRunMapsTheClassesItsFirstRunSaved() throws Exception {
        Path jar = linkedJar(tmp.resolve("with"));
        Path archive = jar.resolveSibling("trainyard-generate-pairs.jsa");

        Run first = launch(jar, Map.of(), "generate", "pairs", "--rows", "40", "--seed", "3", "--output", tmp.resolve("a.tsv").toString());
        assertEquals(0, first.exit, first.output);
        assertTrue(Files.size(archive) > 1_000_000, "the first run saved the classes it loaded in " + archive);
        assertFalse(first.output.contains("[cds]"), "archiving prints nothing of its own:\n" + first.output);

        Path classLog = tmp.resolve("classes.txt");
        Run second = launch(jar, Map.of("TRAINYARD_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog),
                "generate", "pairs", "--rows", "40", "--seed", "3", "--output", tmp.resolve("b.tsv").toString());
        assertEquals(0, second.exit, second.output);
        assertEquals(Files.readString(tmp.resolve("a.tsv")), Files.readString(tmp.resolve("b.tsv")), "the same work either way");
        try (Stream<String> lines = Files.lines(classLog)) {
            assertTrue(lines.anyMatch(l -> l.contains("dev.trainyard.cli.TrainyardCli") && l.contains("shared objects file (top)")),
                    "the second run took the application's classes from the archive");
        }
    }

    @Test
    void turnedOffFailedAndHelpRunsLeaveNoArchive() throws Exception {
        Path jar = linkedJar(tmp.resolve("without"));
        Run off = launch(jar, Map.of("TRAINYARD_CDS", "off"), "generate", "pairs", "--rows", "10", "--output", tmp.resolve("c.tsv").toString());
        assertEquals(0, off.exit, off.output);
        Run failed = launch(jar, Map.of(), "prep", "pairs", "--input", tmp.resolve("missing.tsv").toString(), "--format", "quora",
                "--output", tmp.resolve("out").toString());
        assertTrue(failed.exit != 0, "a missing input fails:\n" + failed.output);
        Run help = launch(jar, Map.of(), "generate", "pairs", "--help");
        assertEquals(0, help.exit, help.output);
        try (Stream<Path> files = Files.list(jar.getParent())) {
            List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("trainyard.jar")).toList();
            assertEquals(List.of(), left, "no archive or half-written file");
        }
    }

    private static Path linkedJar(Path dir) throws Exception {
        Files.createDirectories(dir);
        return Files.createSymbolicLink(dir.resolve("trainyard.jar"), ROOT.resolve("spark-jobs/target/trainyard.jar"));
    }

    private record Run(int exit, String output) {
    }

    private static Run launch(Path jar, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("trainyard").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TRAINYARD_JAR", jar.toString());
        pb.environment().remove("TRAINYARD_JAVA_OPTS");
        pb.environment().remove("TRAINYARD_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher finished");
        return new Run(p.exitValue(), out);
    }
}
