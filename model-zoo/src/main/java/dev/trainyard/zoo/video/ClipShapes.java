package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional3D;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reshapes between time-major clips {@code [N, T, C, H, W]} and frames {@code [N*T, C, H, W]}. */
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

    /** The per-frame 2D type of a clip type. */
    public static InputType frame(InputTypeConvolutional3D clip) {
        return InputType.convolutional(clip.getHeight(), clip.getWidth(), clip.getChannels());
    }

    /** The clip type with frames of the given 2D type. */
    public static InputType withFrame(InputTypeConvolutional3D clip, InputType frame) {
        InputTypeConvolutional f = (InputTypeConvolutional) frame;
        return clip(clip.getDepth(), f.getHeight(), f.getWidth(), f.getChannels());
    }

    public static void requireTimeMajor(INDArray a, String layer) {
        if (a.rank() != 5) {
            throw new IllegalArgumentException(layer + " expects a clip [N, T, C, H, W], got shape "
                    + java.util.Arrays.toString(a.shape()));
        }
    }

    /** {@code [N, T, C, H, W] -> [N*T, C, H, W]}; a view when the clip is contiguous. */
    public static INDArray toFrames(INDArray clip) {
        return clip.reshape('c', clip.size(0) * clip.size(1), clip.size(2), clip.size(3), clip.size(4));
    }

    /** {@code [N*T, C, H, W] -> [N, T, C, H, W]} for clips of {@code frames} frames. */
    public static INDArray toClip(INDArray frames, long t) {
        return frames.reshape('c', frames.size(0) / t, t, frames.size(1), frames.size(2), frames.size(3));
    }
}
