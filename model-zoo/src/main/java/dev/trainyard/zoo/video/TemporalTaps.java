package dev.trainyard.zoo.video;

import java.util.ArrayList;
import java.util.List;

/**
 * Which input frames feed which output frames through the two shifted taps of a 3 x 1 x 1
 * convolution with dilation d: {@code y[t] += W0 x[t-d] + W2 x[t+d]}. Each {@link Link} is a run of
 * consecutive frames, so one matrix product per link and clip covers it; frames beyond either end
 * are absent (zero padding) or the edge frame (replicate padding). The centre tap, {@code W1 x[t]},
 * covers every frame of every clip and is not listed.
 */
record TemporalTaps(List<Link> links) {

    /** Output frames [out, out + frames) take tap {@code tap} of input frames [in, in + frames). */
    record Link(int tap, long out, long in, long frames) {
    }

    static TemporalTaps of(long t, int d, TemporalPadding padding) {
        List<Link> links = new ArrayList<>();
        if (t > d) {
            links.add(new Link(0, d, 0, t - d));
            links.add(new Link(2, 0, d, t - d));
        }
        if (padding == TemporalPadding.REPLICATE) {
            for (long f = 0; f < Math.min(d, t); f++) {
                links.add(new Link(0, f, 0, 1));
            }
            for (long f = Math.max(t - d, 0); f < t; f++) {
                links.add(new Link(2, f, t - 1, 1));
            }
        }
        return new TemporalTaps(List.copyOf(links));
    }
}
