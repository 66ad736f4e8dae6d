package dev.trainyard.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;

import java.util.Locale;

/**
 * The bias/variance diagnosis of the research notes' "structuring a deep learning project":
 * train, dev and test error beside a reference error (human-level or best known, else the best
 * baseline), avoidable bias = train - reference, variance = dev - train, and the dev-test gap;
 * which one dominates, in words, with the usual remedies.
 */
public final class Diagnosis {
    /** Gaps smaller than this (1 point of error) are noise for a verdict. */
    static final double NEGLIGIBLE = 0.01;

    private Diagnosis() {
    }

    /**
     * @param devError NaN when the data has no dev split: the variance is then measured on the test
     *                 split (test - train) and the dev-test gap is unknown (null in the JSON)
     */
    public static ObjectNode of(double trainError, double devError, double testError, double referenceError, String referenceSource) {
        ObjectNode d = Json.object();
        boolean hasDev = !Double.isNaN(devError);
        d.put("train_error", trainError);
        putOrNull(d, "dev_error", devError);
        d.put("test_error", testError);
        d.put("reference_error", referenceError);
        d.put("reference_source", referenceSource);
        double bias = trainError - referenceError;
        double variance = (hasDev ? devError : testError) - trainError;
        double mismatch = hasDev ? testError - devError : Double.NEGATIVE_INFINITY;
        d.put("avoidable_bias", bias);
        d.put("variance", variance);
        d.put("variance_measured_on", hasDev ? "dev" : "test (no dev split)");
        putOrNull(d, "dev_test_gap", hasDev ? mismatch : Double.NaN);
        String dominant;
        String advice;
        if (Math.max(bias, Math.max(variance, mismatch)) < NEGLIGIBLE && bias <= -NEGLIGIBLE) {
            dominant = "none";
            advice = "the model already beats the reference on its training data, so the reference is too weak a bar to measure "
                    + "avoidable bias: pass --reference-error with a human-level or best-known error";
        } else if (Math.max(bias, Math.max(variance, mismatch)) < NEGLIGIBLE) {
            dominant = "none";
            advice = "train, dev and test error are all within a point of the reference: to go further, lower the reference "
                    + "(a better baseline or a human-level figure) or collect harder data";
        } else if (bias >= variance && bias >= mismatch) {
            dominant = "avoidable bias";
            advice = "the model underfits its training data: train a bigger model, train longer or with a better optimiser, "
                    + "or change the architecture";
        } else if (variance >= mismatch) {
            dominant = "variance";
            advice = "the model overfits: get more training data, regularise (dropout, L2, augmentation), or use a smaller model";
        } else {
            dominant = "dev-test mismatch";
            advice = "dev and test disagree: make them come from the same distribution, enlarge the dev set, "
                    + "or stop tuning against it so often";
        }
        d.put("dominant", dominant);
        String errors = hasDev
                ? String.format(Locale.ROOT, "train error %.3f, dev %.3f, test %.3f", trainError, devError, testError)
                : String.format(Locale.ROOT, "train error %.3f, test %.3f (no dev split)", trainError, testError);
        String gaps = hasDev
                ? String.format(Locale.ROOT, "avoidable bias %+.3f, variance %+.3f, dev-test gap %+.3f", bias, variance, mismatch)
                : String.format(Locale.ROOT, "avoidable bias %+.3f, variance (test - train) %+.3f", bias, variance);
        d.put("summary", String.format(Locale.ROOT, "%s against a reference of %.3f (%s): %s. Dominant: %s. %s.", errors,
                referenceError, referenceSource, gaps, dominant, Character.toUpperCase(advice.charAt(0)) + advice.substring(1)));
        return d;
    }

    /** The reference when the user gives none: the error of always predicting the most frequent class. */
    public static double majorityError(int[] labels) {
        java.util.Map<Integer, Long> counts = new java.util.HashMap<>();
        for (int l : labels) {
            counts.merge(l, 1L, Long::sum);
        }
        long top = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return labels.length == 0 ? Double.NaN : 1 - (double) top / labels.length;
    }

    private static void putOrNull(ObjectNode d, String key, double v) {
        if (Double.isNaN(v)) {
            d.putNull(key);
        } else {
            d.put(key, v);
        }
    }
}
