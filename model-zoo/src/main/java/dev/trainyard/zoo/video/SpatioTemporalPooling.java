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
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
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
            return mgr.leverageTo(ArrayType.ACTIVATIONS, perFrame(input).max(1));
        }

        /** The mean of each frame's H x W pixels: {@code [N, T, C]}, as one matrix product over the pixel rows. */
        private static INDArray perFrame(INDArray clip) {
            long frames = clip.size(0) * clip.size(1);
            long hw = clip.size(2) * clip.size(3);
            long c = ClipShapes.channels(clip);
            INDArray means = Nd4j.createUninitialized(clip.dataType(), frames, 1, c);
            Nd4j.exec(DynamicCustomOp.builder("matmul")
                    .addInputs(Nd4j.valueArrayOf(new long[]{frames, 1, hw}, 1.0 / hw, clip.dataType()), clip.reshape('c', frames, hw, c))
                    .addOutputs(means).build());
            return means.reshape('c', clip.size(0), clip.size(1), c);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            long n = input.size(0);
            long t = input.size(1);
            long c = ClipShapes.channels(input);
            long hw = input.size(2) * input.size(3);
            INDArray winner = Nd4j.argMax(perFrame(input), 1);
            long[] win = winner.reshape(winner.length()).toLongVector();
            float[] oneHot = new float[(int) (n * t * c)];
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    oneHot[(int) ((i * t + win[(int) (i * c + ch)]) * c + ch)] = 1f;
                }
            }
            INDArray mask = Nd4j.create(oneHot, new long[]{n, t, c}, 'c').castTo(input.dataType());
            // each frame's share of its channel's gradient, spread evenly over the frame's pixels
            INDArray perFrame = mask.muli(epsilon.div(hw).reshape(n, 1, c)).reshape('c', n * t, 1, c);
            INDArray grad = mgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
            Nd4j.exec(new AddOp(grad.reshape('c', n * t, hw, c), perFrame, grad.reshape('c', n * t, hw, c)));
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
