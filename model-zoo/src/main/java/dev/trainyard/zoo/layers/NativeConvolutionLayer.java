package dev.trainyard.zoo.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime side of {@link NativeConvolution}: z = conv2d(x) + b as one native op, then the
 * layer's activation. A training forward pass keeps z for the backward pass (in the ACTIVATIONS
 * workspace, open until the backward pass), which takes the activation's derivative at z and then
 * runs {@code conv2d_bp}; if z was not kept (or its workspace has closed) it is computed again.
 */
public class NativeConvolutionLayer extends BaseWrapperLayer {
    private final boolean native2d;
    private final KeptForBackward<INDArray> preActivation = new KeptForBackward<>();

    public NativeConvolutionLayer(Layer underlying) {
        super(underlying);
        native2d = NativeConv2d.nativeOpsEnabled() && NativeConv2d.supportsWithAnyActivation(underlying);
    }

    /** Whether the native ops run this layer (else the stock DL4J layer does). */
    public boolean usesNativeOps() {
        return native2d;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!native2d) {
            return underlying.activate(training, workspaceMgr);
        }
        INDArray x = underlying.input();
        INDArray z = NativeConv2d.activate(convolution(), x, workspaceMgr);
        IActivation activation = activation();
        if (activation instanceof ActivationIdentity) {
            return z;
        }
        if (!training) {
            return activation.getActivation(z, false);
        }
        preActivation.keep(z, z, x);
        return activation.getActivation(workspaceMgr.dup(ArrayType.ACTIVATIONS, z), true);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!native2d) {
            return underlying.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray x = underlying.input();
        IActivation activation = activation();
        INDArray dz = epsilon;
        if (!(activation instanceof ActivationIdentity)) {
            INDArray z = preActivation.take(x);
            if (z == null) {
                z = NativeConv2d.activate(convolution(), x, workspaceMgr);
            }
            // the derivative is written into z, which nothing else uses
            dz = activation.backprop(z, epsilon).getFirst();
        }
        return NativeConv2d.backprop(convolution(), x, dz, workspaceMgr);
    }

    private ConvolutionLayer convolution() {
        return (ConvolutionLayer) underlying;
    }

    private IActivation activation() {
        return ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) underlying.conf().getLayer()).getActivationFn();
    }

    @Override
    public void clear() {
        preActivation.clear();
        underlying.clear();
    }
}
