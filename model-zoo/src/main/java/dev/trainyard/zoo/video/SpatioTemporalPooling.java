package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;


/**
 * BesNet's head: average over each frame's H x W, then the maximum over the T frames, giving
 * {@code [N, C]} for any clip length. The gradient of the maximum goes to the first frame that
 * attains it (ties split nothing), spread evenly over that frame's positions.
 */
public class SpatioTemporalPooling extends NoParamClipLayer {
    private static final long serialVersionUID = 1L;

    public SpatioTemporalPooling() {
    }

    @Override
    AbstractLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(ClipShapes.requireClip(inputType, "SpatioTemporalPooling").getChannels());
    }

    static final class Impl extends AbstractLayer<SpatioTemporalPooling> {
        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            assertInputSet(false);
            ClipShapes.requireTimeMajor(input, "SpatioTemporalPooling");
            INDArray perFrame = input.mean(3, 4);
            return mgr.leverageTo(ArrayType.ACTIVATIONS, perFrame.max(1));
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            long n = input.size(0);
            long t = input.size(1);
            long c = input.size(2);
            long hw = input.size(3) * input.size(4);
            INDArray perFrame = input.mean(3, 4);
            INDArray winner = Nd4j.argMax(perFrame, 1);
            long[] win = winner.reshape(winner.length()).toLongVector();
            float[] oneHot = new float[(int) (n * t * c)];
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    oneHot[(int) ((i * t + win[(int) (i * c + ch)]) * c + ch)] = 1f;
                }
            }
            INDArray mask = Nd4j.create(oneHot, new long[]{n, t, c, 1}, 'c').castTo(input.dataType());
            INDArray perPosition = epsilon.div(hw).reshape(n, 1, c, 1);
            INDArray grad = mgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
            grad.reshape('c', n, t, c, hw).assign(mask.mul(perPosition).broadcast(n, t, c, hw));
            return new Pair<>(new DefaultGradient(), grad);
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }

        @Override
        public void clearNoiseWeightParams() {
        }
    }
}
