package dev.trainyard.zoo.video;

import dev.trainyard.zoo.layers.NativeConv2d;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime side of {@link FrameWise}: clip to frames, the 2D layer, frames back to clip. A plain
 * 2D convolution, batch normalisation or ReLU can run as native ops ({@link NativeConv2d},
 * {@link FrameBatchNorm}, {@link FrameRelu}) on every ND4J build, as the switch
 * {@link NativeConv2d#NATIVE_OPS} allows.
 */
public class FrameWiseLayer extends BaseWrapperLayer {
    public static final String NATIVE_OPS = NativeConv2d.NATIVE_OPS;
    private final boolean nativeConv;
    private final boolean nativeRelu;
    private final FrameBatchNorm nativeBn;
    private long frames;
    private INDArray clipInput;

    public FrameWiseLayer(Layer underlying) {
        super(underlying);
        boolean enabled = NativeConv2d.nativeOpsEnabled();
        nativeConv = enabled && NativeConv2d.supports(underlying);
        nativeRelu = enabled && FrameRelu.supports(underlying);
        nativeBn = enabled && FrameBatchNorm.supports(underlying) ? new FrameBatchNorm() : null;
    }

    /** Whether this layer runs as native ops rather than the stock DL4J layer. */
    public boolean usesNativeOps() {
        return nativeConv || nativeRelu || nativeBn != null;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        clipInput = input;
        underlying.setInput(input, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return activate(clipInput, training, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        ClipShapes.requireTimeMajor(input, "FrameWise");
        clipInput = input;
        frames = input.size(1);
        INDArray f = ClipShapes.toFrames(input);
        INDArray out;
        if (nativeConv) {
            out = NativeConv2d.activate((ConvolutionLayer) underlying, f, workspaceMgr);
        } else if (nativeRelu) {
            out = FrameRelu.activate(f, workspaceMgr);
        } else if (nativeBn != null) {
            out = nativeBn.activate((BatchNormalization) underlying, f, training, workspaceMgr);
        } else {
            out = underlying.activate(f, training, workspaceMgr);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, ClipShapes.toClip(out, frames));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray f = ClipShapes.toFrames(epsilon);
        Pair<Gradient, INDArray> p;
        if (nativeConv) {
            p = NativeConv2d.backprop((ConvolutionLayer) underlying, ClipShapes.toFrames(clipInput), f, workspaceMgr);
        } else if (nativeRelu) {
            p = FrameRelu.backprop(ClipShapes.toFrames(clipInput), f, workspaceMgr);
        } else if (nativeBn != null) {
            p = nativeBn.backprop((BatchNormalization) underlying, ClipShapes.toFrames(clipInput), f, workspaceMgr);
        } else {
            p = underlying.backpropGradient(f, workspaceMgr);
        }
        if (p.getSecond() != null) {
            p.setSecond(workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, ClipShapes.toClip(p.getSecond(), frames)));
        }
        return p;
    }

    @Override
    public INDArray input() {
        return clipInput;
    }

    @Override
    public void clear() {
        clipInput = null;
        underlying.clear();
    }
}
