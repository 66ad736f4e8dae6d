package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stock ReLU {@link ActivationLayer} over frames as one native op each way. DL4J's layer first
 * copies its input (forward) or input and epsilon (backward) and then works in place: one or two
 * extra passes over every activation of BesNet, which has a ReLU after each convolution.
 */
final class FrameRelu {
    private FrameRelu() {
    }

    /** A plain ReLU: no cap, threshold 0, no negative slope. */
    static boolean supports(org.deeplearning4j.nn.api.Layer layer) {
        if (layer.getClass() != ActivationLayer.class) {
            return false;
        }
        var fn = ((org.deeplearning4j.nn.conf.layers.ActivationLayer) layer.conf().getLayer()).getActivationFn();
        return fn instanceof ActivationReLU r && r.getMax() == null && isZeroOrNull(r.getThreshold())
                && isZeroOrNull(r.getNegativeSlope());
    }

    private static boolean isZeroOrNull(Double d) {
        return d == null || d == 0.0;
    }

    static INDArray activate(INDArray frames, LayerWorkspaceMgr mgr) {
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, frames.dataType(), frames.shape(), 'c');
        Nd4j.exec(new RectifiedLinear(frames, out, 0.0));
        return out;
    }

    static Pair<Gradient, INDArray> backprop(INDArray frames, INDArray epsilon, LayerWorkspaceMgr mgr) {
        INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, frames.dataType(), frames.shape(), 'c');
        Nd4j.exec(new RectifiedLinearDerivative(frames, epsilon, gradIn));
        return new Pair<>(new DefaultGradient(), gradIn);
    }
}
