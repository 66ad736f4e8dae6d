package dev.trainyard.eval;

import java.util.Objects;

/**
 * {@code trainyard evaluate}.
 *
 * @param model  a model directory written by {@code trainyard train}
 * @param data   a prepared dataset
 * @param output the metrics JSON; an HTML report is written beside it
 * @param split  the split to report (test by default)
 * @param referenceError the diagnosis' reference error (human level, best known); null = the majority baseline's
 * @param thresholdFrom  where the decision threshold comes from: {@code auto} (the data's dev split when it has labelled
 *                       pairs, else the model's recorded rule), {@code dev}, {@code model}, or a value in the report's
 *                       meaning (a probability; a distance for the distance head)
 */
public record EvaluateConfig(String model, String data, String output, String split, Double referenceError, String thresholdFrom) {
    public EvaluateConfig {
        Objects.requireNonNull(model, "--model");
        Objects.requireNonNull(data, "--data");
        Objects.requireNonNull(output, "--output");
        Objects.requireNonNull(split, "--split");
        if (split.equals("dev")) {
            throw new IllegalArgumentException("--split dev is where the decision threshold is chosen; report train or test");
        }
        if (referenceError != null && !(referenceError >= 0 && referenceError <= 1)) {
            throw new IllegalArgumentException("--reference-error must be an error rate in [0,1], got " + referenceError);
        }
        Objects.requireNonNull(thresholdFrom, "--threshold-from");
        if (!java.util.List.of("auto", "dev", "model").contains(thresholdFrom) && given(thresholdFrom) == null) {
            throw new IllegalArgumentException("--threshold-from must be auto, dev, model or a number, got '" + thresholdFrom + "'");
        }
    }

    public EvaluateConfig(String model, String data, String output, String split, Double referenceError) {
        this(model, data, output, split, referenceError, "auto");
    }

    /** The number in {@code thresholdFrom}, or null when it names a source. */
    static Double given(String thresholdFrom) {
        try {
            double v = Double.parseDouble(thresholdFrom);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public EvaluateConfig(String model, String data, String output, String split) {
        this(model, data, output, split, null);
    }
}
