package dev.trainyard.prep.text;

import java.util.Optional;

/** One line of a GloVe / word2vec text file: {@code word v1 ... vN}, values separated by single spaces. */
final class VectorLine {
    private VectorLine() {
    }

    /** word2vec's optional first line: the word count and the dimension. */
    static boolean isWord2VecHeader(String line) {
        return line.trim().matches("\\d+ \\d+");
    }

    /** Values on the line (0 for a line with a word alone). */
    static int dimension(String line) {
        return tokens(line).length - 1;
    }

    static String word(String line) {
        return tokens(line)[0];
    }

    /** Why the line cannot be used as a {@code dim}-dimensional vector, if it cannot. */
    static Optional<String> problem(String line, int dim) {
        String[] p = tokens(line);
        if (p.length - 1 != dim) {
            return Optional.of((p.length - 1) + " values, expected " + dim);
        }
        for (int i = 1; i < p.length; i++) {
            float v;
            try {
                v = Float.parseFloat(p[i]);
            } catch (NumberFormatException e) {
                return Optional.of("value " + i + " '" + p[i] + "' is not a number");
            }
            if (!Float.isFinite(v)) {
                return Optional.of("value " + i + " '" + p[i] + "' is not a finite float");
            }
        }
        return Optional.empty();
    }

    /** The values of a line {@link #problem} accepted. */
    static float[] values(String line, int dim) {
        String[] p = tokens(line);
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = Float.parseFloat(p[i + 1]);
        }
        return v;
    }

    private static String[] tokens(String line) {
        return line.trim().split(" ");
    }
}
