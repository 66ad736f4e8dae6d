package dev.trainyard.zoo.besnet;

import java.util.List;
import java.util.Map;

/**
 * The stage table (torchvision/mmaction2 style): a depth is a block kind and the number of
 * blocks in each of the four stages; a block kind is its list of convolutions. T = 3 x 1 x 1
 * temporal (a ResNet 1 x 1, inflated), S = 1 x 3 x 3 spatial (a ResNet 3 x 3).
 */
public final class BesNetStages {
    /** ResNet's stage widths before the width multiplier; bottlenecks expand the last conv by 4. */
    public static final int[] BASE_WIDTHS = {64, 128, 256, 512};
    public static final int STEM_WIDTH = 64;

    public enum Kind { TEMPORAL, SPATIAL }

    /**
     * One convolution of a block's residual branch.
     *
     * @param suffix  DL4J zoo naming: {@code res<stage><block>_branch<suffix>}
     * @param expand  output channels = stage width x this (4 for a bottleneck's last conv)
     * @param strided carries the stage's spatial stride in its first block (as DL4J's and Caffe's ResNet-50)
     */
    public record Conv(String suffix, Kind kind, int expand, boolean strided) {
    }

    public enum Block {
        /** BesNet-18/34: a ResNet basic block (two 3 x 3) with a temporal 3 x 1 x 1 between them. */
        BASIC(1, List.of(new Conv("2a", Kind.SPATIAL, 1, true), new Conv("2b", Kind.TEMPORAL, 1, false),
                new Conv("2c", Kind.SPATIAL, 1, false))),
        /** BesNet-50/101: ResNet's 1x1-3x3-1x1 bottleneck, inflated to 3x1x1-1x3x3-3x1x1 (the notes' module). */
        BOTTLENECK(4, List.of(new Conv("2a", Kind.TEMPORAL, 1, true), new Conv("2b", Kind.SPATIAL, 1, false),
                new Conv("2c", Kind.TEMPORAL, 4, false)));

        public final int expansion;
        public final List<Conv> convs;

        Block(int expansion, List<Conv> convs) {
            this.expansion = expansion;
            this.convs = convs;
        }
    }

    /** @param blocks blocks in stages 2, 3, 4, 5 */
    public record Depth(Block block, int[] blocks) {
    }

    private static final Map<Integer, Depth> DEPTHS = Map.of(
            18, new Depth(Block.BASIC, new int[]{2, 2, 2, 2}),
            34, new Depth(Block.BASIC, new int[]{3, 4, 6, 3}),
            50, new Depth(Block.BOTTLENECK, new int[]{3, 4, 6, 3}),
            101, new Depth(Block.BOTTLENECK, new int[]{3, 4, 23, 3}));

    private BesNetStages() {
    }

    public static Depth forDepth(int depth) {
        Depth d = DEPTHS.get(depth);
        if (d == null) {
            throw new IllegalArgumentException("BesNet depth must be one of 18, 34, 50, 101; got " + depth);
        }
        return d;
    }
}
