package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.train.ModelDir;
import dev.trainyard.train.ensemble.EnsembleTrainJob;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

/** {@code trainyard evaluate} for any model directory: picks the evaluation by what the directory holds. */
public final class Evaluations {
    /** The model kinds Trainyard trains, and the metric a promotion compares by default. */
    public enum Kind {
        SIAMESE("/metrics/accuracy"), BESNET("/video_level/top1"), ENSEMBLE("/datasets/0/accuracy/max");

        public final String defaultMetric;

        Kind(String defaultMetric) {
            this.defaultMetric = defaultMetric;
        }
    }

    private Evaluations() {
    }

    public static Kind kindOf(Storage storage, String model) {
        if (storage.exists(model + "/" + EnsembleTrainJob.ARTIFACT)) {
            return Kind.ENSEMBLE;
        }
        ModelDir dir = new ModelDir(storage, model);
        String name = dir.readJson(ModelDir.MANIFEST).path("model").asText();
        return "besnet".equals(name) ? Kind.BESNET : Kind.SIAMESE;
    }

    /**
     * Evaluates {@code model} on {@code split} of {@code data}; ensembles also on {@code adversarial}
     * datasets and for the first-K-member {@code sizes}. Writes {@code output} (JSON) and its HTML.
     */
    public static JsonNode run(SparkSession spark, String model, String data, String split, List<String> adversarial,
                               List<Integer> sizes, String output) {
        return run(spark, model, data, split, adversarial, sizes, null, output);
    }

    /** @param referenceError the diagnosis' reference error (null = the majority-class baseline) */
    public static JsonNode run(SparkSession spark, String model, String data, String split, List<String> adversarial,
                               List<Integer> sizes, Double referenceError, String output) {
        return switch (kindOf(new Storage(spark.sparkContext().hadoopConfiguration()), model)) {
            case ENSEMBLE -> {
                List<String> datasets = new ArrayList<>(List.of(data));
                datasets.addAll(adversarial);
                yield EnsembleEvaluateJob.run(spark, model, datasets, split, sizes, referenceError, output);
            }
            case BESNET -> ClipEvaluateJob.run(spark, model, data, split, referenceError, output);
            case SIAMESE -> EvaluateJob.run(spark, new EvaluateConfig(model, data, output, split, referenceError));
        };
    }
}
