package dev.trainyard.zoo.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of a stride-1, same-padded k x k convolution on small frames as two forward
 * {@code conv2d} ops, for frames of fewer than {@value #MAX_PIXELS} + 1 pixels.
 *
 * <p>Why: ND4J's {@code conv2d_bp} lets oneDNN choose the algorithm, and for a 3 x 3 kernel it takes
 * Winograd 4x3 for both gradients. On BesNet-50's last stage at 112 x 112 clips (4 x 4 frames, 512
 * channels) the Winograd tiles are mostly padding: 48-54 ms against 6 ms for the forward convolution
 * of the same size (bench module, experiments.SmallFrameConvTiming). Both gradients are forward
 * convolutions in disguise:
 * <ul>
 *   <li>input: {@code dx = conv(dy, W')} with {@code W'[i, o] = W[o, i]} flipped in both spatial axes;</li>
 *   <li>weights: frames and channels swap roles, {@code dW[o, i] = conv(x^T, dy^T)[i, o]}, where
 *   {@code x^T} is {@code [C_in, F, H, W]}, {@code dy^T} {@code [C_out, F, H, W]} is the kernel and
 *   the padding is the layer's, so the output is k x k.</li>
 * </ul>
 * On frames of 7 x 7 and up Winograd is as fast or faster, so they keep {@code conv2d_bp}.
 */
public final class SmallFrameConvBackward {
    /** The largest frame (in pixels) that takes this path: below 7 x 7. */
    public static final int MAX_PIXELS = 48;

    private SmallFrameConvBackward() {
    }

    /** Whether a convolution with this kernel, stride and mode over these frames takes this path. */
    public static boolean applies(int[] kernel, int[] stride, boolean sameMode, INDArray frames, boolean channelsLast) {
        long pixels = channelsLast ? frames.size(1) * frames.size(2) : frames.size(2) * frames.size(3);
        return sameMode && kernel[0] == kernel[1] && kernel[0] % 2 == 1 && stride[0] == 1 && stride[1] == 1
                && pixels <= MAX_PIXELS;
    }

    /**
     * Writes the gradients of {@code y = conv(x, w) + b} for {@code dy}: {@code gradIn} (like x),
     * {@code gradW} (like w, {@code [out, in, k, k]}) and, when not null, {@code gradB} ({@code [out]}).
     * Frames are {@code [F, C, H, W]}, or {@code [F, H, W, C]} when {@code channelsLast}.
     */
    public static void backprop(INDArray x, INDArray w, INDArray dy, INDArray gradIn, INDArray gradW, INDArray gradB,
                                boolean channelsLast) {
        // the channels-first view of each frame's axes: channels first, then frames, then H, W
        int[] toChannelsFirst = channelsLast ? new int[]{3, 0, 1, 2} : new int[]{1, 0, 2, 3};
        long out = w.size(0);
        long in = w.size(1);
        int k = (int) w.size(2);
        INDArray flippedT = Nd4j.createUninitialized(w.dataType(), in, out, k, k);
        exec("permute", new INDArray[]{flipped(w)}, flippedT.reshape('c', in, out, (long) k * k), 1, 0, 2);
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode, the frames' format (NCHW 0, NHWC 1), weights [out, in, kH, kW]
        exec("conv2d", new INDArray[]{dy, flippedT}, gradIn, k, k, 1, 1, 0, 0, 1, 1, 1, channelsLast ? 1 : 0, 1);

        long frames = x.size(0);
        long h = x.size(channelsLast ? 1 : 2);
        long wd = x.size(channelsLast ? 2 : 3);
        INDArray xT = Nd4j.createUninitialized(x.dataType(), in, frames, h, wd);
        exec("permute", new INDArray[]{x}, xT, toChannelsFirst);
        INDArray dyT = Nd4j.createUninitialized(dy.dataType(), out, frames, h, wd);
        exec("permute", new INDArray[]{dy}, dyT, toChannelsFirst);
        INDArray gradWT = Nd4j.createUninitialized(w.dataType(), in, out, k, k);
        int pad = (k - 1) / 2;
        exec("conv2d", new INDArray[]{xT, dyT}, gradWT, (int) h, (int) wd, 1, 1, pad, pad, 1, 1, 0, 0, 1);
        exec("permute", new INDArray[]{gradWT}, gradW, 1, 0, 2, 3);

        if (gradB != null) {
            // per-channel sums of dy^T [out, F*H*W] as one matrix-vector product
            INDArray ones = Nd4j.ones(dy.dataType(), frames * h * wd, 1);
            INDArray sums = Nd4j.createUninitialized(dy.dataType(), out, 1);
            Nd4j.gemm(dyT.reshape('c', out, frames * h * wd), ones, sums, false, false, 1.0, 0.0);
            gradB.assign(sums.reshape(gradB.shape()));
        }
    }

    /** {@code w} with both spatial axes reversed: its k*k taps times the reversal permutation, one product. */
    private static INDArray flipped(INDArray w) {
        long kk = w.size(2) * w.size(3);
        INDArray reversal = Nd4j.zeros(w.dataType(), kk, kk);
        for (long t = 0; t < kk; t++) {
            reversal.putScalar(t, kk - 1 - t, 1.0);
        }
        INDArray taps = w.reshape('c', w.size(0) * w.size(1), kk);
        INDArray f = Nd4j.createUninitialized(w.dataType(), w.size(0), w.size(1), kk);
        Nd4j.gemm(taps, reversal, f.reshape('c', w.size(0) * w.size(1), kk), false, false, 1.0, 0.0);
        return f;
    }

    private static void exec(String op, INDArray[] inputs, INDArray output, int... args) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(output).addIntegerArguments(args).build());
    }
}
