package dev.trainyard.zoo.ensemble;

import java.util.SplittableRandom;

/**
 * Which training examples an ensemble member sees: UNIFORM trains every member on all the data
 * (members differ by seed only, the notes' "uniform"); BOOTSTRAP draws {@code fraction * n}
 * indices with replacement, seeded per member, so the draw is recorded by (seed, member).
 */
public enum MemberSampling {
    UNIFORM, BOOTSTRAP;

    public int[] indices(int n, double fraction, long seed, int member) {
        if (this == UNIFORM) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        if (!(fraction > 0)) {
            throw new IllegalArgumentException("--sample-fraction must be > 0, got " + fraction);
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + member);
        int[] out = new int[(int) Math.max(1, Math.round(fraction * n))];
        for (int i = 0; i < out.length; i++) {
            out[i] = rnd.nextInt(n);
        }
        return out;
    }
}
