package dev.trainyard.eval;

import java.util.Objects;

/**
 * {@code trainyard evaluate}.
 *
 * @param model  a model directory written by {@code trainyard train}
 * @param data   a prepared dataset
 * @param output the metrics JSON; an HTML report is written beside it
 * @param split  the split to report (test by default); the threshold is always chosen on dev
 */
public record EvaluateConfig(String model, String data, String output, String split) {
    public EvaluateConfig {
        Objects.requireNonNull(model, "--model");
        Objects.requireNonNull(data, "--data");
        Objects.requireNonNull(output, "--output");
        Objects.requireNonNull(split, "--split");
        if (split.equals("dev")) {
            throw new IllegalArgumentException("--split dev is where the decision threshold is chosen; report train or test");
        }
    }
}
