package dev.trainyard.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.cli.PromoteCommand;
import dev.trainyard.cli.TrainyardCli;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Airflow DAG's commands, from the same Python module the DAG imports, rendered for two run
 * dates: each passes {@code --dry-run} of the real CLI, and then runs on local Spark. The first
 * run promotes its model into an empty registry; the second, required to win by an impossible
 * margin, is registered but not promoted, exits 3 for the scheduler to alert, and CURRENT stays. Each run
 * then scores its period's new pairs with CURRENT into its dated folder.
 */
class RetrainingDagIT {
    private static final Path AIRFLOW = Path.of("..", "deploy", "airflow");
    @TempDir
    Path tmp;

    @Test
    void theDagsCommandsValidateRunAndPromoteOnlyABetterModel() throws Exception {
        Assumptions.assumeTrue(python("-c", "pass").exitValue() == 0, "python3 is not installed: the DAG checks need it");
        Process compiled = python("-c", "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')",
                AIRFLOW.resolve("trainyard_retrain.py").toString());
        assertEquals(0, compiled.exitValue(), "the DAG file is valid Python: " + new String(compiled.getInputStream().readAllBytes()));

        String registry = tmp.resolve("registry").toString();
        Map<String, List<String>> first = render("2026-11-20", registry, "0");
        Map<String, List<String>> second = render("2026-11-27", registry, "1.0");
        assertEquals(List.of("prep", "train", "evaluate", "promote", "score"), new ArrayList<>(first.keySet()));
        for (var cmds : List.of(first, second)) {
            for (List<String> args : cmds.values()) {
                List<String> dry = new ArrayList<>(args);
                dry.add("--dry-run");
                assertEquals(0, cli(dry), "dry run of trainyard " + args);
            }
        }
        List<String> broken = new ArrayList<>(first.get("train"));
        broken.set(broken.indexOf("--workers") + 1, "0");
        broken.add("--dry-run");
        assertEquals(2, cli(broken), "a bad value fails the dry run (the config validates it)");

        for (String step : List.of("prep", "train", "evaluate", "promote")) {
            assertEquals(0, cli(first.get(step)), "2026-11-20 " + step);
        }
        ModelRegistry r = new ModelRegistry(new org.apache.hadoop.conf.Configuration(), registry, "quora-siamese");
        assertEquals("v0001", r.current().orElseThrow(), "the first model goes into an empty registry");
        assertEquals(0, cli(first.get("score")), "2026-11-20 score");
        assertScoredBy(tmp.resolve("runs").resolve("2026-11-20").resolve("scores"), "v0001");

        for (String step : List.of("prep", "train", "evaluate")) {
            assertEquals(0, cli(second.get(step)), "2026-11-27 " + step);
        }
        assertEquals(PromoteCommand.KEPT, cli(second.get("promote")), "a candidate that does not win by 1.0 accuracy is kept out");
        assertEquals("v0001", r.current().orElseThrow(), "CURRENT did not move");
        JsonNode versions = r.index().path("versions");
        assertEquals(2, versions.size(), "both candidates are registered");
        JsonNode decision = versions.get(1);
        assertFalse(decision.path("promoted").asBoolean());
        assertEquals("v0001", decision.path("current_version").asText());
        assertTrue(decision.path("data").asText().contains("2026-11-27"), "the current model was scored on the new test data: " + decision);
        JsonNode reevaluated = Json.MAPPER.readTree(Path.of(registry, "quora-siamese", "versions", "v0002", "current-evaluation.json").toFile());
        assertEquals(decision.path("current").asDouble(), reevaluated.at("/metrics/accuracy").asDouble(), 1e-12);
        assertEquals(decision.path("data").asText(), reevaluated.path("data").asText());
        assertTrue(Files.exists(Path.of(registry, "quora-siamese", "versions", "v0002", "model.zip")));
        assertFalse(Files.exists(Path.of(registry, "quora-siamese", "versions", "v0002", "checkpoints")), "checkpoints are not registered");
        // the kept-out candidate does not stop scoring (the DAG runs score on all_done): CURRENT, v0001, scores the new period
        assertEquals(0, cli(second.get("score")), "2026-11-27 score");
        assertScoredBy(tmp.resolve("runs").resolve("2026-11-27").resolve("scores"), "v0001");
    }

    /** Every new pair of the period was scored, by the given registered version. */
    private static void assertScoredBy(Path scores, String version) throws Exception {
        JsonNode s = Json.MAPPER.readTree(scores.resolve("predict-summary.json").toFile());
        assertEquals(300, s.path("rows_read").asLong(), s.toString());
        assertEquals(300, s.path("rows_predicted").asLong(), s.toString());
        assertEquals(version, s.path("model").path("version").asText());
        assertEquals(300, LocalSpark.get().read().parquet(scores.resolve("predictions").toString())
                .filter(org.apache.spark.sql.functions.col("model_version").equalTo(version)).count());
    }

    /** The DAG's commands for one date: raw pairs generated for it, small settings for 2 local cores. */
    private Map<String, List<String>> render(String ds, String registry, String minImprovement) throws Exception {
        SyntheticPairGenerator.write(tmp.resolve("raw-" + ds + ".tsv"), 2500, 0.37, ds.hashCode());
        writeUnlabelled(tmp.resolve("new-" + ds + ".tsv"), ds.hashCode() + 1);
        Process p = python(AIRFLOW.resolve("trainyard_commands.py").toString(), ds, tmp.resolve("raw-{ds}.tsv").toString(),
                tmp.resolve("runs").toString(), registry, "workers=2", "epochs=2", "vector_size=16", "batch_size_per_worker=32",
                "averaging_frequency=2", "min_improvement=" + minImprovement,
                "score_pairs=" + tmp.resolve("new-{ds}.tsv"));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
        Map<String, List<String>> cmds = new LinkedHashMap<>();
        Json.MAPPER.readTree(out).fields().forEachRemaining(e -> {
            List<String> args = new ArrayList<>();
            e.getValue().forEach(a -> args.add(a.asText()));
            cmds.put(e.getKey(), args);
        });
        return cmds;
    }

    /** 300 new pairs as users score them: id, question1, question2, no labels. */
    private static void writeUnlabelled(Path file, long seed) throws Exception {
        Path labelled = file.resolveSibling(file.getFileName() + ".labelled");
        SyntheticPairGenerator.write(labelled, 300, 0.5, seed);
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(labelled)) {
            String[] f = line.split("\t");
            out.append(f[0]).append('\t').append(f[3]).append('\t').append(f[4]).append('\n');
        }
        Files.writeString(file, out);
    }

    private static int cli(List<String> args) {
        LocalSpark.get(); // the commands attach to this local session (getOrCreate) and stop it when done
        StringWriter err = new StringWriter();
        int code = TrainyardCli.commandLine().setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        if (code != 0) {
            System.err.println("trainyard " + String.join(" ", args) + " -> " + code + ": " + err);
        }
        return code;
    }

    private static Process python(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException notInstalled) {
            Process missing = new ProcessBuilder("false").start();
            missing.waitFor();
            return missing;
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return p;
    }
}
