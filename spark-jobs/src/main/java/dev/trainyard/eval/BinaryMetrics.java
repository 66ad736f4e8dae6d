package dev.trainyard.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Binary classification metrics from scores where higher means "duplicate". Pure functions.
 *
 * @param accuracy  at the given threshold
 * @param logLoss   from calibrated probabilities
 */
public record BinaryMetrics(long examples, double threshold, double accuracy, double precision, double recall, double f1,
                            double rocAuc, double logLoss, long tp, long fp, long tn, long fn) {

    public static BinaryMetrics of(double[] scores, int[] labels, double threshold, double[] probabilities) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (predicted && labels[i] == 1) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (labels[i] == 1) {
                fn++;
            } else {
                tn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new BinaryMetrics(scores.length, threshold, (double) (tp + tn) / Math.max(1, scores.length), precision,
                recall, f1, rocAuc(scores, labels), logLoss(probabilities, labels), tp, fp, tn, fn);
    }

    /** Area under the ROC curve by the rank-sum (Mann-Whitney) statistic, ties get their mean rank. */
    public static double rocAuc(double[] scores, int[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double meanRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSumPos += meanRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    public static double logLoss(double[] p, int[] labels) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
            sum -= labels[i] == 1 ? Math.log(q) : Math.log(1 - q);
        }
        return sum / Math.max(1, p.length);
    }

    /** The threshold that maximises accuracy on these (dev) scores: a midpoint between two distinct scores. */
    public static double bestThreshold(double[] scores, int[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        long positives = Arrays.stream(labels).filter(l -> l == 1).count();
        // threshold below everything: all predicted 1
        long correct = positives;
        long best = correct;
        double bestT = n == 0 ? 0 : scores[order[0]] - 1e-6;
        for (int k = 0; k < n; k++) {
            correct += labels[order[k]] == 1 ? -1 : 1;
            boolean boundary = k + 1 == n || scores[order[k + 1]] != scores[order[k]];
            if (boundary && correct > best) {
                best = correct;
                bestT = k + 1 == n ? scores[order[k]] + 1e-6 : (scores[order[k]] + scores[order[k + 1]]) / 2;
            }
        }
        return bestT;
    }
}
