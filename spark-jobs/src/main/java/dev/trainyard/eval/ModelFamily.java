package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/**
 * A kind of model Trainyard trains, as the commands that handle any model see it: the name its
 * manifest carries ({@code "model"}), the dataset kind it reads, how it is evaluated and the metric
 * a promotion compares by default. The families are listed in {@link ModelFamilies}.
 */
public record ModelFamily(String name, String datasetKind, String defaultMetric, Evaluator evaluator) {

    /** What {@code trainyard evaluate} asks of a family. */
    public record Request(String model, String data, String split, List<String> adversarial, List<Integer> sizes,
                          Double referenceError, String output, String thresholdFrom) {
    }

    /** Evaluates a model of the family; writes {@code output} (JSON) and its HTML report. */
    @FunctionalInterface
    public interface Evaluator {
        JsonNode evaluate(SparkSession spark, Request request);
    }

    public JsonNode evaluate(SparkSession spark, Request request) {
        return evaluator.evaluate(spark, request);
    }
}
