package dev.trainyard.zoo.video;

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
 * 2D convolution, batch normalisation or ReLU can run as native ops ({@link FrameConvolution},
 * {@link FrameBatchNorm}, {@link FrameRelu}); the system property {@value #NATIVE_OPS} chooses:
 * {@code auto} (the default) and {@code all} take the native path wherever it applies, on every ND4J
 * build; {@code none} keeps the stock layers (benchmarks and tests compare; docs/benchmarks.md).
 */
public class FrameWiseLayer extends BaseWrapperLayer {
    public static final String NATIVE_OPS = "trainyard.native-frame-ops";
    private final boolean nativeConv;
    private final boolean nativeRelu;
    private final FrameBatchNorm nativeBn;
    private long frames;
    private INDArray clipInput;

    public FrameWiseLayer(Layer underlying) {
        super(underlying);
        String mode = System.getProperty(NATIVE_OPS, "auto");
        if (!mode.equals("auto") && !mode.equals("all") && !mode.equals("none")) {
            throw new IllegalArgumentException(NATIVE_OPS + " must be auto, all or none, got " + mode);
        }
        nativeConv = !mode.equals("none") && FrameConvolution.supports(underlying);
        nativeRelu = !mode.equals("none") && FrameRelu.supports(underlying);
        nativeBn = !mode.equals("none") && FrameBatchNorm.supports(underlying) ? new FrameBatchNorm() : null;
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
            out = FrameConvolution.activate((ConvolutionLayer) underlying, f, workspaceMgr);
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
            p = FrameConvolution.backprop((ConvolutionLayer) underlying, ClipShapes.toFrames(clipInput), f, workspaceMgr);
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
