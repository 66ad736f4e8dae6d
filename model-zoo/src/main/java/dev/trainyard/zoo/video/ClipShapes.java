package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional3D;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reshapes between the video layers' clips, time-major and channels-last {@code [N, T, H, W, C]},
 * and frames {@code [N*T, H, W, C]} (NHWC). Channels last, every pixel of every frame is a row of C
 * values: a 1 x 1 (temporal 3 x 1 x 1) convolution is a matrix product on the clip as it lies, and
 * oneDNN's 2D convolutions and pooling take NHWC frames directly (as fast or faster than NCHW here).
 */
public final class ClipShapes {
    private ClipShapes() {
    }

    /** The clip type for T frames of C channels, H x W. */
    public static InputType clip(long frames, long height, long width, long channels) {
        return InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, frames, height, width, channels);
    }

    public static InputTypeConvolutional3D requireClip(InputType t, String layer) {
        if (!(t instanceof InputTypeConvolutional3D c)) {
            throw new IllegalArgumentException(layer + " expects a clip input (convolutional3D), got " + t);
        }
        return c;
    }

    /** The per-frame 2D type of a clip type: NHWC frames. */
    public static InputType frame(InputTypeConvolutional3D clip) {
        return InputType.convolutional(clip.getHeight(), clip.getWidth(), clip.getChannels(), CNN2DFormat.NHWC);
    }

    /** The clip type with frames of the given 2D type. */
    public static InputType withFrame(InputTypeConvolutional3D clip, InputType frame) {
        InputTypeConvolutional f = (InputTypeConvolutional) frame;
        return clip(clip.getDepth(), f.getHeight(), f.getWidth(), f.getChannels());
    }

    public static void requireTimeMajor(INDArray a, String layer) {
        if (a.rank() != 5) {
            throw new IllegalArgumentException(layer + " expects a clip [N, T, H, W, C], got shape "
                    + java.util.Arrays.toString(a.shape()));
        }
    }

    /** {@code [N, T, H, W, C] -> [N*T, H, W, C]}; a view when the clip is contiguous. */
    public static INDArray toFrames(INDArray clip) {
        return clip.reshape('c', clip.size(0) * clip.size(1), clip.size(2), clip.size(3), clip.size(4));
    }

    /** The axes of an NCDHW clip {@code [N, C, T, H, W]} in the order of {@code [N, T, H, W, C]}. */
    static final int[] FROM_NCDHW = {0, 2, 3, 4, 1};
    /** The axes of a clip {@code [N, T, H, W, C]} in the order of NCDHW {@code [N, C, T, H, W]}. */
    static final int[] TO_NCDHW = {0, 4, 1, 2, 3};

    /** An NCDHW clip {@code [N, C, T, H, W]} copied into the video layers' layout (what {@link TimeMajor} does). */
    public static INDArray fromNcdhw(INDArray clip) {
        return clip.permute(FROM_NCDHW).dup('c');
    }

    /** Channels of a clip {@code [N, T, H, W, C]}. */
    public static long channels(INDArray clip) {
        return clip.size(4);
    }

    /** {@code [N*T, H, W, C] -> [N, T, H, W, C]} for clips of {@code frames} frames. */
    public static INDArray toClip(INDArray frames, long t) {
        return frames.reshape('c', frames.size(0) / t, t, frames.size(1), frames.size(2), frames.size(3));
    }
}
