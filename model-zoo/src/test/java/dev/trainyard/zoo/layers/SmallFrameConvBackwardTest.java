package dev.trainyard.zoo.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small-frame backward pass gives conv2d_bp's gradients: input, weights and bias, on NCHW and NHWC frames. */
class SmallFrameConvBackwardTest {

    @Test
    void gradientsEqualConv2dBpForOddKernelsOnSmallFrames() {
        gradientsEqualConv2dBp(false);
    }

    @Test
    void gradientsEqualConv2dBpOnChannelsLastFrames() {
        gradientsEqualConv2dBp(true);
    }

    private static void gradientsEqualConv2dBp(boolean channelsLast) {
        Nd4j.getRandom().setSeed(7);
        int[][] cases = {{3, 4, 4, 5, 6}, {3, 2, 3, 4, 4}, {5, 6, 6, 3, 7}, {1, 4, 4, 5, 2}, {3, 1, 1, 2, 3}};
        for (int[] c : cases) {
            int k = c[0];
            int h = c[1];
            int w = c[2];
            int in = c[3];
            int out = c[4];
            INDArray x = (channelsLast ? Nd4j.rand(DataType.FLOAT, 3, h, w, in) : Nd4j.rand(DataType.FLOAT, 3, in, h, w)).subi(0.5);
            INDArray weights = Nd4j.rand(DataType.FLOAT, out, in, k, k).subi(0.5);
            INDArray bias = Nd4j.rand(DataType.FLOAT, out).subi(0.5);
            INDArray dy = (channelsLast ? Nd4j.rand(DataType.FLOAT, 3, h, w, out) : Nd4j.rand(DataType.FLOAT, 3, out, h, w)).subi(0.5);
            assertTrue(SmallFrameConvBackward.applies(new int[]{k, k}, new int[]{1, 1}, true, x, channelsLast));

            INDArray gx = x.ulike();
            INDArray gw = weights.ulike();
            INDArray gb = bias.ulike();
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, weights, bias, dy).addOutputs(gx, gw, gb)
                    .addIntegerArguments(k, k, 1, 1, 0, 0, 1, 1, 1, channelsLast ? 1 : 0, 1).build());

            INDArray gx2 = x.ulike().assign(Double.NaN);
            INDArray gw2 = weights.ulike().assign(Double.NaN);
            INDArray gb2 = bias.ulike().assign(Double.NaN);
            SmallFrameConvBackward.backprop(x, weights, dy, gx2, gw2, gb2, channelsLast);
            String name = k + "x" + k + " kernel on " + h + "x" + w + (channelsLast ? " NHWC" : " NCHW") + " frames";
            assertClose(gx, gx2, name + ": input gradient");
            assertClose(gw, gw2, name + ": weight gradient");
            assertClose(gb, gb2, name + ": bias gradient");

            INDArray gw3 = weights.ulike().assign(Double.NaN);
            SmallFrameConvBackward.backprop(x, weights, dy, x.ulike(), gw3, null, channelsLast);
            assertClose(gw, gw3, name + ": weight gradient without a bias");
        }
    }

    @Test
    void largerFramesStridesAndEvenKernelsKeepConv2dBp() {
        INDArray small = Nd4j.create(DataType.FLOAT, 1, 1, 4, 4);
        assertFalse(SmallFrameConvBackward.applies(new int[]{3, 3}, new int[]{1, 1}, true, Nd4j.create(DataType.FLOAT, 1, 1, 7, 7), false));
        assertFalse(SmallFrameConvBackward.applies(new int[]{3, 3}, new int[]{1, 1}, true, Nd4j.create(DataType.FLOAT, 1, 7, 7, 1), true));
        // 4 x 4 frames of 7 channels, read channels-first, would be 4 x 7 and still small; channels-last they are 4 x 4
        assertTrue(SmallFrameConvBackward.applies(new int[]{3, 3}, new int[]{1, 1}, true, Nd4j.create(DataType.FLOAT, 1, 4, 4, 7), true));
        assertFalse(SmallFrameConvBackward.applies(new int[]{3, 3}, new int[]{1, 1}, true, Nd4j.create(DataType.FLOAT, 1, 7, 7, 4), true));
        assertFalse(SmallFrameConvBackward.applies(new int[]{3, 3}, new int[]{2, 2}, true, small, false));
        assertFalse(SmallFrameConvBackward.applies(new int[]{2, 2}, new int[]{1, 1}, true, small, false));
        assertFalse(SmallFrameConvBackward.applies(new int[]{3, 3}, new int[]{1, 1}, false, small, false));
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-6);
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * scale, what + ": max difference " + diff + " against max " + scale);
    }
}
