package dev.trainyard.prep.text;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic train/dev/test assignment from a seeded hash of the pair id: the same id and
 * seed always land in the same split, on any machine, in any partitioning.
 */
public final class SplitAssigner implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String TRAIN = "train";
    public static final String DEV = "dev";
    public static final String TEST = "test";

    private final double train;
    private final double dev;
    private final long seed;

    public SplitAssigner(SplitFractions fractions, long seed) {
        this.train = fractions.train();
        this.dev = fractions.dev();
        this.seed = seed;
    }

    public String assign(String pairId) {
        double u = unitHash(pairId, seed);
        if (u < train) {
            return TRAIN;
        }
        return u < train + dev ? DEV : TEST;
    }

    /** A value in [0,1) from 64-bit FNV-1a over the seed and id, finished with a SplitMix64 mix. */
    static double unitHash(String id, long seed) {
        long h = fnv1a(id, seed);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** 64-bit FNV-1a over the id's UTF-8 bytes, its offset basis xor-ed with {@code seed}. */
    static long fnv1a(String id, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
