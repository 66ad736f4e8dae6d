package dev.trainyard.zoo.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stock 2D {@link ConvolutionLayer}'s forward and backward pass as one native {@code conv2d} /
 * {@code conv2d_bp} op each, on the layer's own parameters and gradient views.
 *
 * <p>Why: DL4J 1.0.0-M2.1 runs its convolution layer on the CPU as a separate im2col and matrix
 * product, and never reaches ND4J's oneDNN convolutions (its oneDNN helpers are off by default and
 * look up a class that moved in M2.1). The native op is oneDNN's convolution on the oneDNN build
 * and libnd4j's own elsewhere. DL4J's layer also computes the forward convolution again in its
 * backward pass. Only plain layers take this path: NCHW or NHWC, no dilation, dropout or weight noise,
 * Same or Truncate mode; anything else runs the stock layer. On frames smaller than 7 x 7 the
 * backward pass is two forward convolutions ({@link SmallFrameConvBackward}). BesNet's frame-wise
 * convolutions ({@code FrameWiseLayer}) have no activation; the ensembles' ConvNet applies its
 * activation after ({@link NativeConvolutionLayer}).
 */
public final class NativeConv2d {
    /**
     * The switch for every native-op path (BesNet's frame-wise layers, the ConvNet's convolutions):
     * {@code auto} (the default) and {@code all} take it wherever it applies; {@code none} keeps
     * DL4J's stock layers (benchmarks and tests compare the two).
     */
    public static final String NATIVE_OPS = "trainyard.native-frame-ops";

    private NativeConv2d() {
    }

    /** Whether {@value #NATIVE_OPS} lets layers take their native path; refuses an unknown value. */
    public static boolean nativeOpsEnabled() {
        String mode = System.getProperty(NATIVE_OPS, "auto");
        if (!mode.equals("auto") && !mode.equals("all") && !mode.equals("none")) {
            throw new IllegalArgumentException(NATIVE_OPS + " must be auto, all or none, got " + mode);
        }
        return !mode.equals("none");
    }

    /** A stock 2D convolution layer with no activation that the native ops compute exactly. */
    public static boolean supports(org.deeplearning4j.nn.api.Layer layer) {
        return supportsWithAnyActivation(layer)
                && ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) layer.conf().getLayer()).getActivationFn() instanceof ActivationIdentity;
    }

    /** Likewise, whatever its activation (which the caller then applies: {@link NativeConvolutionLayer}). */
    public static boolean supportsWithAnyActivation(org.deeplearning4j.nn.api.Layer layer) {
        if (layer.getClass() != ConvolutionLayer.class) {
            return false;
        }
        var c = (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) layer.conf().getLayer();
        return c.getClass() == org.deeplearning4j.nn.conf.layers.ConvolutionLayer.class
                && c.getIDropout() == null && c.getWeightNoise() == null
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1
                && (c.getConvolutionMode() == ConvolutionMode.Same || c.getConvolutionMode() == ConvolutionMode.Truncate);
    }

    /** The convolution (with its bias, without the activation) of {@code frames}, in the ACTIVATIONS workspace. */
    public static INDArray activate(ConvolutionLayer layer, INDArray frames, LayerWorkspaceMgr mgr) {
        var c = conf(layer);
        INDArray w = layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        int[] args = args(c);
        long[] outShape = outputShape(frames, w, c);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, frames.dataType(), outShape, 'c');
        INDArray[] in = c.hasBias()
                ? new INDArray[]{frames, w, layer.getParam(ConvolutionParamInitializer.BIAS_KEY).reshape(w.size(0))}
                : new INDArray[]{frames, w};
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(in).addOutputs(out).addIntegerArguments(args).build());
        return out;
    }

    /** Fills the layer's gradient views from {@code epsilon}, the gradient of the convolution's output; returns the input's gradient. */
    public static Pair<Gradient, INDArray> backprop(ConvolutionLayer layer, INDArray frames, INDArray epsilon, LayerWorkspaceMgr mgr) {
        var c = conf(layer);
        INDArray w = layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        // views into the network's flat gradient, as the stock layer fills them
        var views = ConvolutionParamInitializer.getInstance().getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
        INDArray gradW = views.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, frames.dataType(), frames.shape(), 'c');
        Gradient g = new DefaultGradient();
        INDArray[] in;
        INDArray[] out;
        if (c.hasBias()) {
            INDArray gradB = views.get(ConvolutionParamInitializer.BIAS_KEY);
            in = new INDArray[]{frames, w, layer.getParam(ConvolutionParamInitializer.BIAS_KEY).reshape(w.size(0)), epsilon};
            out = new INDArray[]{gradIn, gradW, gradB.reshape(w.size(0))};
            g.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, gradB);
        } else {
            in = new INDArray[]{frames, w, epsilon};
            out = new INDArray[]{gradIn, gradW};
        }
        g.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, gradW, 'c');
        boolean channelsLast = channelsLast(c);
        if (SmallFrameConvBackward.applies(c.getKernelSize(), c.getStride(), c.getConvolutionMode() == ConvolutionMode.Same, frames, channelsLast)) {
            SmallFrameConvBackward.backprop(frames, w, epsilon, gradIn, gradW, c.hasBias() ? out[2] : null, channelsLast);
            return new Pair<>(g, gradIn);
        }
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(in).addOutputs(out).addIntegerArguments(args(c)).build());
        return new Pair<>(g, gradIn);
    }

    private static org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf(ConvolutionLayer layer) {
        return (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) layer.conf().getLayer();
    }

    private static boolean channelsLast(org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
        return c.getCnn2dDataFormat() == CNN2DFormat.NHWC;
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same-mode, data format (0 = NCHW, 1 = NHWC), weight format (1 = [out, in, kH, kW], as DL4J keeps it). */
    private static int[] args(org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
        int[] p = same ? new int[]{0, 0} : c.getPadding();
        return new int[]{k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, same ? 1 : 0, channelsLast(c) ? 1 : 0, 1};
    }

    /** DL4J's output size: ceil(in / stride) in Same mode, floor((in + 2p - k) / s) + 1 in Truncate mode. */
    private static long[] outputShape(INDArray frames, INDArray w, org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        long[] size = new long[2];
        for (int i = 0; i < 2; i++) {
            long in = frames.size((channelsLast(c) ? 1 : 2) + i);
            size[i] = c.getConvolutionMode() == ConvolutionMode.Same ? (in + s[i] - 1) / s[i] : (in + 2L * p[i] - k[i]) / s[i] + 1;
        }
        return channelsLast(c)
                ? new long[]{frames.size(0), size[0], size[1], w.size(0)}
                : new long[]{frames.size(0), w.size(0), size[0], size[1]};
    }
}
