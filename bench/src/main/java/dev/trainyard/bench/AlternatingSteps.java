package dev.trainyard.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Two nets trained side by side in one process, one step each in turn, the order alternating from
 * pair to pair. Separate processes on a shared machine differ by 10-20% from run to run, which hides
 * a change of a few percent; stepping in turn puts the machine's drift on both nets alike, and the
 * per-pair ratios show what is left.
 */
public final class AlternatingSteps {

    /** A system property as {@code key=value}, read by layers when they are built (e.g. {@code trainyard.native-frame-ops=none}). */
    public record PropertySetting(String key, String value) {
        public PropertySetting {
            if (key == null || key.isBlank() || key.contains("=") || value == null) {
                throw new IllegalArgumentException("a property setting is key=value, got key " + key + ", value " + value);
            }
        }

        public static PropertySetting parse(String setting) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value (e.g. trainyard.native-frame-ops=none), got '" + setting + "'");
            }
            return new PropertySetting(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
        }

        /** Builds something with this property set, then puts the property back as it was (or clears it). */
        public <T> T buildWith(Supplier<T> build) {
            String before = System.getProperty(key);
            System.setProperty(key, value);
            try {
                return build.get();
            } finally {
                if (before == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, before);
                }
            }
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    /** Step times of each net, in seconds, pair by pair. */
    public record Result(double[] first, double[] second) {
        /** Per pair: the second net's step time over the first's (above 1: the first is faster). */
        public double[] ratios() {
            double[] r = new double[first.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = second[i] / first[i];
            }
            return r;
        }

        public double medianRatio() {
            return median(ratios());
        }
    }

    private AlternatingSteps() {
    }

    /**
     * {@code warmup} untimed steps of each, then {@code pairs} timed pairs, both nets of a pair on
     * the same minibatch ({@code batches} gives {@code {features}, {labels}} per step number): the
     * first net first in even pairs, the second first in odd ones.
     */
    public static Result run(ComputationGraph first, ComputationGraph second, IntFunction<INDArray[][]> batches, int warmup, int pairs) {
        for (int i = 0; i < warmup; i++) {
            INDArray[][] xy = batches.apply(i);
            first.fit(xy[0], xy[1]);
            second.fit(xy[0], xy[1]);
        }
        double[] a = new double[pairs];
        double[] b = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            INDArray[][] xy = batches.apply(warmup + i);
            if (i % 2 == 0) {
                a[i] = step(first, xy);
                b[i] = step(second, xy);
            } else {
                b[i] = step(second, xy);
                a[i] = step(first, xy);
            }
        }
        return new Result(a, b);
    }

    /** One net alone: {@code warmup} untimed steps, then the seconds of each of {@code steps} more, on the same batch numbering as {@link #run}. */
    public static double[] alone(ComputationGraph net, IntFunction<INDArray[][]> batches, int warmup, int steps) {
        for (int i = 0; i < warmup; i++) {
            INDArray[][] xy = batches.apply(i);
            net.fit(xy[0], xy[1]);
        }
        double[] times = new double[steps];
        for (int i = 0; i < steps; i++) {
            times[i] = step(net, batches.apply(warmup + i));
        }
        return times;
    }

    /** Seconds of one training step on {@code {features}, {labels}}. */
    public static double step(ComputationGraph net, INDArray[][] xy) {
        long t0 = System.nanoTime();
        net.fit(xy[0], xy[1]);
        return (System.nanoTime() - t0) / 1e9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
