package dev.trainyard.zoo.besnet;

import dev.trainyard.zoo.video.TemporalPadding;

import java.util.Arrays;

/**
 * BesNet (research notes, "Random Dilation Networks for Action Recognition"): a ResNet whose 1 x 1
 * kernels become 3 x 1 x 1 temporal kernels with random dilation and whose 3 x 3 kernels become
 * 1 x 3 x 3 spatial ones; T never shrinks; spatial average then temporal max pooling; one FC layer.
 *
 * @param depth            18, 34 (basic blocks) or 50, 101 (bottlenecks); see {@link BesNetStages}
 * @param widthMultiplier  scales every channel count (1.0 = ResNet; 0.125 makes a tiny test net)
 * @param numClasses       classifier outputs
 * @param frames           nominal clip length K for shape bookkeeping; any K runs at inference
 * @param height           frame height the network is built for
 * @param width            frame width
 * @param dilations        temporal dilations drawn per minibatch in training, averaged at test time; {1} = none
 * @param padding          frames beyond the clip: ZERO, or REPLICATE (a static clip stays static)
 * @param order            RELU_BN (the notes: ReLU then batch normalisation per layer) or BN_RELU (ResNet, ImageNet weights)
 * @param residualBeta     scale of the residual branch before the addition (shattered-gradients note; 1 = plain ResNet)
 * @param firstStageStride spatial stride of stage 2 (1 in ResNet papers and Keras; 2 in DL4J's zoo ResNet50)
 * @param dropout          dropout before the classifier (0 = none)
 * @param learningRate     Adam step size
 * @param l2               weight decay
 * @param seed             weight initialisation and the dilation sequence
 */
public record BesNetSpec(int depth, double widthMultiplier, int numClasses, int frames, int height, int width,
                         int[] dilations, TemporalPadding padding, Order order, double residualBeta,
                         int firstStageStride, double dropout, double learningRate, double l2, long seed) {

    public enum Order { RELU_BN, BN_RELU }

    public BesNetSpec {
        BesNetStages.forDepth(depth);
        dilations = dilations.clone();
        if (!(widthMultiplier > 0)) {
            throw new IllegalArgumentException("width multiplier must be > 0, got " + widthMultiplier);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("BesNet needs at least 2 classes, got " + numClasses);
        }
        if (frames < 1 || height < 32 || width < 32) {
            throw new IllegalArgumentException("clips must have >= 1 frame and frames of at least 32 x 32, got "
                    + frames + " x " + height + " x " + width);
        }
        if (dilations.length == 0 || Arrays.stream(dilations).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("dilations must be values >= 1, got " + Arrays.toString(dilations));
        }
        if (!(residualBeta > 0)) {
            throw new IllegalArgumentException("residual beta must be > 0, got " + residualBeta);
        }
        if (firstStageStride != 1 && firstStageStride != 2) {
            throw new IllegalArgumentException("first stage stride must be 1 or 2, got " + firstStageStride);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0,1), got " + dropout);
        }
        if (!(learningRate > 0) || l2 < 0) {
            throw new IllegalArgumentException("learning rate must be > 0 and l2 >= 0");
        }
    }

    /** BesNet-50 as the notes describe it, for clips of 8 frames of 112 x 112. */
    public static BesNetSpec defaults(int numClasses) {
        return new BesNetSpec(50, 1.0, numClasses, 8, 112, 112, new int[]{1, 2}, TemporalPadding.ZERO, Order.RELU_BN,
                1.0, 1, 0.0, 1e-3, 1e-5, 42);
    }

    /** A BesNet-18 at 1/8 width (channels 8..64): for tests and the demo. */
    public static BesNetSpec tiny(int numClasses, int frames, int size) {
        return new BesNetSpec(18, 0.125, numClasses, frames, size, size, new int[]{1, 2}, TemporalPadding.ZERO,
                Order.RELU_BN, 1.0, 1, 0.0, 3e-3, 1e-5, 42);
    }

    public int channels(int base) {
        return Math.max(1, (int) Math.round(base * widthMultiplier));
    }

    public BesNetSpec withDilations(int... d) {
        return toBuilder().dilations(d).build();
    }

    public BesNetSpec withPadding(TemporalPadding p) {
        return toBuilder().padding(p).build();
    }

    public BesNetSpec withOrder(Order o) {
        return toBuilder().order(o).build();
    }

    public BesNetSpec withLearningRate(double rate) {
        return toBuilder().learningRate(rate).build();
    }

    public BesNetSpec withSeed(long s) {
        return toBuilder().seed(s).build();
    }

    /** A builder starting from this spec; {@link Builder#build()} validates the result. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Sets any of a spec's fields by name, so a change of one field does not re-list the other fourteen. */
    public static final class Builder {
        private int depth;
        private double widthMultiplier;
        private int numClasses;
        private int frames;
        private int height;
        private int width;
        private int[] dilations;
        private TemporalPadding padding;
        private Order order;
        private double residualBeta;
        private int firstStageStride;
        private double dropout;
        private double learningRate;
        private double l2;
        private long seed;

        private Builder(BesNetSpec s) {
            depth = s.depth;
            widthMultiplier = s.widthMultiplier;
            numClasses = s.numClasses;
            frames = s.frames;
            height = s.height;
            width = s.width;
            dilations = s.dilations.clone();
            padding = s.padding;
            order = s.order;
            residualBeta = s.residualBeta;
            firstStageStride = s.firstStageStride;
            dropout = s.dropout;
            learningRate = s.learningRate;
            l2 = s.l2;
            seed = s.seed;
        }

        public Builder depth(int v) {
            depth = v;
            return this;
        }

        public Builder widthMultiplier(double v) {
            widthMultiplier = v;
            return this;
        }

        public Builder numClasses(int v) {
            numClasses = v;
            return this;
        }

        /** Clip shape: frames of height x width. */
        public Builder clip(int f, int h, int w) {
            frames = f;
            height = h;
            width = w;
            return this;
        }

        public Builder dilations(int... v) {
            dilations = v.clone();
            return this;
        }

        public Builder padding(TemporalPadding v) {
            padding = v;
            return this;
        }

        public Builder order(Order v) {
            order = v;
            return this;
        }

        public Builder residualBeta(double v) {
            residualBeta = v;
            return this;
        }

        public Builder firstStageStride(int v) {
            firstStageStride = v;
            return this;
        }

        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder l2(double v) {
            l2 = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public BesNetSpec build() {
            return new BesNetSpec(depth, widthMultiplier, numClasses, frames, height, width, dilations, padding, order, residualBeta,
                    firstStageStride, dropout, learningRate, l2, seed);
        }
    }

    @Override
    public int[] dilations() {
        return dilations.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BesNetSpec s && toString().equals(s.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "BesNetSpec[depth=" + depth + ", widthMultiplier=" + widthMultiplier + ", numClasses=" + numClasses
                + ", frames=" + frames + ", height=" + height + ", width=" + width + ", dilations=" + Arrays.toString(dilations)
                + ", padding=" + padding + ", order=" + order + ", residualBeta=" + residualBeta + ", firstStageStride="
                + firstStageStride + ", dropout=" + dropout + ", learningRate=" + learningRate + ", l2=" + l2 + ", seed=" + seed + "]";
    }
}
