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


/**
 * The network's first layer: clips as they come ({@code [N, C, T, H, W]}, DL4J's NCDHW, what
 * {@code ClipBatches} produces) to the time-major, channels-last layout {@code [N, T, H, W, C]} the
 * video layers use ({@link ClipShapes}).
 */
public class TimeMajor extends NoParamClipLayer {
    private static final long serialVersionUID = 1L;

    public TimeMajor() {
    }

    @Override
    AbstractLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return ClipShapes.requireClip(inputType, "TimeMajor");
    }

    static final class Impl extends AbstractLayer<TimeMajor> {
        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            assertInputSet(false);
            if (input.rank() != 5) {
                throw new IllegalArgumentException("expected clips [N, C, T, H, W], got shape " + java.util.Arrays.toString(input.shape()));
            }
            return mgr.dup(ArrayType.ACTIVATIONS, input.permute(ClipShapes.FROM_NCDHW), 'c');
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            return new Pair<>(new DefaultGradient(), mgr.dup(ArrayType.ACTIVATION_GRAD, epsilon.permute(ClipShapes.TO_NCDHW), 'c'));
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
