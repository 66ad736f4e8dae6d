package dev.trainyard.prep.text;

import java.io.Serializable;

/** Train/dev/test fractions, validated to sum to 1. */
public record SplitFractions(double train, double dev, double test) implements Serializable {
    public SplitFractions {
        if (train < 0 || dev < 0 || test < 0) {
            throw new IllegalArgumentException("split fractions must be >= 0: " + train + "," + dev + "," + test);
        }
        if (Math.abs(train + dev + test - 1.0) > 1e-6) {
            throw new IllegalArgumentException("split fractions must sum to 1, got " + (train + dev + test));
        }
    }

    /** Everything in the test split: data that is only scored. */
    public static final SplitFractions ALL_TEST = new SplitFractions(0, 0, 1);

    /** Parses {@code 0.8,0.1,0.1} or the word {@code test}. */
    public static SplitFractions parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("test")) {
            return ALL_TEST;
        }
        String[] p = t.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("--split takes three fractions train,dev,test (e.g. 0.8,0.1,0.1) or 'test', got '" + text + "'");
        }
        try {
            return new SplitFractions(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--split fractions must be numbers, got '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return train + "," + dev + "," + test;
    }
}
