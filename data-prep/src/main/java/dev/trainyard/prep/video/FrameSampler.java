package dev.trainyard.prep.video;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which frames of a video become clips. Pure and seeded: the same video, seed and settings give
 * the same indices on any executor.
 *
 * @param frames     K, frames per clip
 * @param stride     frame interval between sampled frames (STRIDED)
 * @param mode       STRIDED: K frames at a fixed interval; UNIFORM: K frames spread over the whole video
 * @param start      where a STRIDED clip starts: the centre of the video, or a seeded random offset
 * @param clips      N clips per video (test-time averaging): starts spread evenly over the video
 * @param targetFps  resample to this frame rate first (0 = keep the source rate)
 */
public record FrameSampler(int frames, int stride, Mode mode, Start start, int clips, double targetFps) implements Serializable {

    public enum Mode { STRIDED, UNIFORM }

    public enum Start { CENTRE, RANDOM }

    public FrameSampler {
        if (frames < 1 || stride < 1 || clips < 1) {
            throw new IllegalArgumentException("frames, stride and clips must be >= 1 (got " + frames + ", " + stride + ", " + clips + ")");
        }
        if (targetFps < 0) {
            throw new IllegalArgumentException("target fps must be >= 0, got " + targetFps);
        }
    }

    /** Thrown when a video has too few frames for one clip; the video is quarantined. */
    public static final class TooShortException extends Exception {
        public TooShortException(String message) {
            super(message);
        }
    }

    /** Frames a strided clip spans. */
    public int span() {
        return mode == Mode.STRIDED ? (frames - 1) * stride + 1 : frames;
    }

    /**
     * Source frame indices of each clip.
     *
     * @param sourceFrames frames the video has
     * @param sourceFps    its frame rate (only used with a target fps)
     * @param seed         per-video seed (see {@link #videoSeed})
     */
    public List<int[]> sample(int sourceFrames, double sourceFps, long seed) throws TooShortException {
        double ratio = targetFps > 0 && sourceFps > 0 ? sourceFps / targetFps : 1.0;
        int n = ratio == 1.0 ? sourceFrames : (int) Math.floor(sourceFrames / ratio);
        if (n < span()) {
            throw new TooShortException("video has " + sourceFrames + " frames" + (ratio == 1.0 ? "" : " (" + n + " at " + targetFps + " fps)")
                    + ", a clip needs " + span());
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>(clips);
        for (int c = 0; c < clips; c++) {
            int[] idx = new int[frames];
            if (mode == Mode.UNIFORM) {
                // in each of K equal segments, clip c of N takes the point (c + 0.5) / N of the way in: one clip takes
                // the segments' centres, several take distinct frames whenever a segment has N frames
                for (int i = 0; i < frames; i++) {
                    idx[i] = (int) Math.floor((i + (c + 0.5) / clips) * n / frames);
                }
            } else {
                int room = n - span();
                int first;
                if (clips > 1) {
                    first = (int) Math.round(room * (c + 0.5) / clips);
                } else {
                    first = start == Start.CENTRE ? room / 2 : rnd.nextInt(room + 1);
                }
                for (int i = 0; i < frames; i++) {
                    idx[i] = first + i * stride;
                }
            }
            for (int i = 0; i < frames; i++) {
                idx[i] = Math.min(sourceFrames - 1, (int) Math.round(idx[i] * ratio));
            }
            out.add(idx);
        }
        return out;
    }

    /** A video's own seed from the run seed and its id, so sampling does not depend on partitioning. */
    public static long videoSeed(long seed, String videoId) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < videoId.length(); i++) {
            h = (h ^ videoId.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}
