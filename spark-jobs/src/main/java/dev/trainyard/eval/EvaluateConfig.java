package dev.trainyard.eval;

import java.util.Objects;

/**
 * {@code trainyard evaluate}.
 *
 * @param model  a model directory written by {@code trainyard train}
 * @param data   a prepared dataset
 * @param output the metrics JSON; an HTML report is written beside it
 * @param split  the split to report (test by default); the threshold is always chosen on dev
 * @param referenceError the diagnosis' reference error (human level, best known); null = the majority baseline's
 */
public record EvaluateConfig(String model, String data, String output, String split, Double referenceError) {
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
    }

    public EvaluateConfig(String model, String data, String output, String split) {
        this(model, data, output, split, null);
    }
}
