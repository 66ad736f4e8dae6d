package dev.trainyard.zoo.siamese;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * A minibatch of question pairs as the sequence tower reads them: token ids as
 * {@code [batch, 1, T]} and masks {@code [batch, T]} (1 = real token), where T is the longest
 * question in the batch (both sides share T: the tower stacks them), capped at the encoder's max
 * length. A question with no tokens reads as one padding token, so its vector is "nothing known"
 * rather than undefined.
 */
public record TokenBatch(INDArray[] features, INDArray[] masks) {

    public static TokenBatch of(List<int[]> first, List<int[]> second, int maxLength) {
        if (first.size() != second.size() || first.isEmpty()) {
            throw new IllegalArgumentException("need the same, non-zero number of first and second questions, got "
                    + first.size() + " and " + second.size());
        }
        int t = 1;
        for (List<int[]> side : List.of(first, second)) {
            for (int[] q : side) {
                t = Math.max(t, Math.min(q.length, maxLength));
            }
        }
        INDArray[] f = {ids(first, t), ids(second, t)};
        INDArray[] m = {mask(first, t), mask(second, t)};
        return new TokenBatch(f, m);
    }

    private static INDArray ids(List<int[]> questions, int t) {
        float[][][] out = new float[questions.size()][1][t];
        for (int i = 0; i < out.length; i++) {
            int[] q = questions.get(i);
            for (int j = 0; j < Math.min(q.length, t); j++) {
                out[i][0][j] = q[j]; // ids below 2^24 are exact in float
            }
        }
        return Nd4j.create(out);
    }

    private static INDArray mask(List<int[]> questions, int t) {
        float[][] out = new float[questions.size()][t];
        for (int i = 0; i < out.length; i++) {
            int n = Math.max(1, Math.min(questions.get(i).length, t));
            for (int j = 0; j < n; j++) {
                out[i][j] = 1f;
            }
        }
        return Nd4j.create(out);
    }
}
