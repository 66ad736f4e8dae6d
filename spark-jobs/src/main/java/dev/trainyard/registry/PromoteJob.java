package dev.trainyard.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.eval.Evaluations;
import dev.trainyard.eval.ModelFamilies;
import dev.trainyard.eval.ModelFamily;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code trainyard promote}: registers a trained model as the next version of NAME and makes it
 * CURRENT only if it beats the current version on the same test data. The current version is
 * evaluated again on the candidate's evaluation data and split (never compared through numbers
 * measured on other data), and both evaluations are kept with the version.
 */
public final class PromoteJob {
    private static final Logger LOG = LoggerFactory.getLogger(PromoteJob.class);

    private PromoteJob() {
    }

    /**
     * @param evaluation    the candidate's evaluation JSON, from {@code trainyard evaluate}
     * @param metric        a JSON pointer into the evaluations (null: the model kind's default)
     * @param minImprovement how much better the candidate must be to replace the current one
     */
    public record Config(String model, String evaluation, String registry, String name, String metric, boolean lowerIsBetter,
                         double minImprovement) {
        public Config {
            if (metric != null && !metric.startsWith("/")) {
                throw new IllegalArgumentException("--metric is a JSON pointer such as /metrics/accuracy, got '" + metric + "'");
            }
            if (!(minImprovement >= 0)) {
                throw new IllegalArgumentException("--min-improvement must be >= 0, got " + minImprovement);
            }
        }
    }

    public static ObjectNode run(SparkSession spark, Config cfg) {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        ModelRegistry registry = new ModelRegistry(spark.sparkContext().hadoopConfiguration(), cfg.registry(), cfg.name());
        ModelFamily family = ModelFamilies.of(storage, cfg.model());
        String metric = cfg.metric() != null ? cfg.metric() : family.defaultMetric();
        JsonNode candidateEval = parse(storage.readText(cfg.evaluation()), cfg.evaluation());
        double candidate = value(candidateEval, metric, cfg.evaluation());
        String data = candidateEval.has("data") ? candidateEval.path("data").asText() : candidateEval.path("datasets").path(0).path("data").asText();
        String split = candidateEval.path("split").asText("test");
        if (data.isEmpty()) {
            throw new IllegalArgumentException(cfg.evaluation() + " does not say which data it was measured on");
        }

        ObjectNode decision = Json.object();
        decision.put("name", cfg.name());
        decision.put("model", cfg.model());
        decision.put("kind", family.name());
        decision.put("metric", metric);
        decision.put("higher_is_better", !cfg.lowerIsBetter());
        decision.put("data", data);
        decision.put("split", split);
        decision.put("candidate", candidate);
        java.util.Map<String, JsonNode> files = new java.util.LinkedHashMap<>();
        files.put("evaluation.json", candidateEval);

        var current = registry.current();
        boolean promote;
        if (current.isEmpty()) {
            promote = true;
            decision.put("reason", "the registry has no current model");
        } else {
            JsonNode incumbentEval = evaluateCurrent(spark, registry, current.get(), data, split);
            double incumbent = value(incumbentEval, metric, "the re-evaluation of " + current.get());
            decision.put("current_version", current.get());
            decision.put("current", incumbent);
            double gain = cfg.lowerIsBetter() ? incumbent - candidate : candidate - incumbent;
            promote = gain > cfg.minImprovement();
            decision.put("reason", String.format(java.util.Locale.ROOT, "%s %s %.6f vs current %s %.6f on %s split %s (needs > %s better)",
                    promote ? "better:" : "not better:", metric, candidate, current.get(), incumbent, data, split, cfg.minImprovement()));
            files.put("current-evaluation.json", incumbentEval);
        }
        decision.put("promoted", promote);
        decision.put("decided_at", Instant.now().toString());
        files.put("decision.json", decision);
        String version = registry.register(cfg.model(), files);
        decision.put("version", version);
        ObjectNode entry = decision.deepCopy();
        entry.put("registered_at", Instant.now().toString());
        registry.record(entry, promote);
        decision.put("current_after", promote ? version : current.get());
        LOG.info("promote {}: {} {} ({})", cfg.name(), version, promote ? "is now CURRENT" : "registered, CURRENT unchanged",
                decision.path("reason").asText());
        return decision;
    }

    private static JsonNode evaluateCurrent(SparkSession spark, ModelRegistry registry, String version, String data, String split) {
        Path local = null;
        try {
            local = Files.createTempDirectory("trainyard-current-");
            registry.copyToLocal(version, local);
            return Evaluations.run(spark, local.toString(), data, split, List.of(), List.of(), local.resolve("reevaluation.json").toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot evaluate the current version " + version, e);
        } finally {
            if (local != null) {
                org.apache.commons.io.FileUtils.deleteQuietly(local.toFile());
            }
        }
    }

    static double value(JsonNode eval, String pointer, String where) {
        JsonNode v = eval.at(pointer);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(where + " has no number at " + pointer + " (pass --metric with a JSON pointer it has)");
        }
        return v.asDouble();
    }

    private static JsonNode parse(String text, String where) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " is not JSON: " + e.getMessage(), e);
        }
    }
}
