package dev.trainyard.eval;

/**
 * Maps a score to a probability with {@code sigmoid(a * s + b)}, fitted by Newton's method on
 * the dev split (Platt 1999, with his smoothed targets). Used for the distance head, whose
 * output is a distance, not a probability, so that log loss means something.
 */
public record PlattScaling(double a, double b) {

    public double probability(double score) {
        return 1 / (1 + Math.exp(-(a * score + b)));
    }

    public static PlattScaling fit(double[] scores, int[] labels) {
        long pos = 0;
        for (int l : labels) {
            pos += l;
        }
        long neg = labels.length - pos;
        double hi = (pos + 1.0) / (pos + 2.0);
        double lo = 1.0 / (neg + 2.0);
        double a = 0;
        double b = Math.log((pos + 1.0) / (neg + 1.0));
        for (int iter = 0; iter < 100; iter++) {
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (int i = 0; i < scores.length; i++) {
                double t = labels[i] == 1 ? hi : lo;
                double p = 1 / (1 + Math.exp(-(a * scores[i] + b)));
                double d = p - t;
                double w = p * (1 - p);
                ga += d * scores[i];
                gb += d;
                haa += w * scores[i] * scores[i];
                hab += w * scores[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (Math.abs(det) < 1e-18) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if (Math.abs(da) + Math.abs(db) < 1e-10) {
                break;
            }
        }
        return new PlattScaling(a, b);
    }
}
