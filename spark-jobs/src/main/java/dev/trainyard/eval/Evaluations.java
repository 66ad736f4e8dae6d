package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Storage;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/** {@code trainyard evaluate} for any model directory: evaluates it as its family ({@link ModelFamilies}) says. */
public final class Evaluations {
    private Evaluations() {
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
        return run(spark, new ModelFamily.Request(model, data, split, adversarial, sizes, referenceError, output, "auto"));
    }

    /** Evaluates as {@code request} says, by the model folder's family. */
    public static JsonNode run(SparkSession spark, ModelFamily.Request request) {
        ModelFamily family = ModelFamilies.of(new Storage(spark.sparkContext().hadoopConfiguration()), request.model());
        return family.evaluate(spark, request);
    }
}
