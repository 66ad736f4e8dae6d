package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The runtime side of {@link TemporalConvolution}. */
public class TemporalConvolutionLayer extends BaseLayer<TemporalConvolution> {
    /** Dilation of the last training forward pass, needed by its backward pass. */
    private int trainingDilation;

    public TemporalConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The dilation the next training minibatch will use (exposed for tests and logs). */
    public int nextTrainingDilation() {
        return layerConf().dilationFor(getIndex(), getIterationCount(), getEpochCount());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        ClipShapes.requireTimeMajor(input, layerConf().getLayerName());
        if (input.size(2) != layerConf().getNIn()) {
            throw new IllegalArgumentException("layer " + layerConf().getLayerName() + " expects " + layerConf().getNIn()
                    + " channels, got input " + java.util.Arrays.toString(input.shape()));
        }
        long n = input.size(0);
        long t = input.size(1);
        long cout = layerConf().getNOut();
        INDArray taps = tapsPerFrame(mgr);
        long h = taps.size(2);
        long w = taps.size(3);
        INDArray z = taps.reshape('c', n, t, TemporalConvolution.TAPS, cout, h * w);
        INDArray out = mgr.create(ArrayType.ACTIVATIONS, taps.dataType(), new long[]{n, t, cout, h, w}, 'c');
        INDArray y = out.reshape('c', n, t, cout, h * w);
        y.assign(tap(z, 1, 0, t));
        if (training) {
            trainingDilation = nextTrainingDilation();
            addShiftedTaps(y, z, trainingDilation, 1.0);
        } else {
            int[] ds = layerConf().getDilations();
            for (int d : ds) {
                addShiftedTaps(y, z, d, 1.0 / ds.length);
            }
        }
        if (layerConf().hasBias()) {
            INDArray b = getParam(TemporalConvolutionParams.BIAS);
            y.addi(b.reshape(1, 1, cout, 1));
        }
        return out;
    }

    /** The 1 x 1 convolution that gives every tap for every frame: {@code [N*T, 3*nOut, H', W']}. */
    private INDArray tapsPerFrame(LayerWorkspaceMgr mgr) {
        INDArray frames = ClipShapes.toFrames(input);
        INDArray weights = getParam(TemporalConvolutionParams.WEIGHT);
        int s = layerConf().getSpatialStride();
        long h = (frames.size(2) - 1) / s + 1;
        long w = (frames.size(3) - 1) / s + 1;
        INDArray z = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, frames.dataType(),
                new long[]{frames.size(0), weights.size(0), h, w}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(frames, weights).addOutputs(z)
                .addIntegerArguments(conv2dArgs(s)).build());
        return z;
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same-mode, data format (0 = NCHW), weight format (1 = [out, in, kH, kW]). */
    private static int[] conv2dArgs(int stride) {
        return new int[]{1, 1, stride, stride, 0, 0, 1, 1, 0, 0, 1};
    }

    /**
     * {@code y[t] += scale * (z0[t-d] + z2[t+d])}, with frames beyond either end either absent
     * (zero padding) or the edge frame (replicate padding). Every view is taken from {@code z} in
     * one {@code get}: ND4J M2.1 returns an empty array for an interval of a point-indexed view.
     */
    private void addShiftedTaps(INDArray y, INDArray z, int d, double scale) {
        long t = y.size(1);
        if (t > d) {
            y.get(all(), NDArrayIndex.interval(d, t), all(), all()).addi(tap(z, 0, 0, t - d).mul(scale));
            y.get(all(), NDArrayIndex.interval(0, t - d), all(), all()).addi(tap(z, 2, d, t).mul(scale));
        }
        if (layerConf().getPadding() == TemporalPadding.REPLICATE) {
            INDArray first = tapFrame(z, 0, 0).mul(scale);
            INDArray last = tapFrame(z, 2, t - 1).mul(scale);
            for (long f = 0; f < Math.min(d, t); f++) {
                frame(y, f).addi(first);
            }
            for (long f = Math.max(t - d, 0); f < t; f++) {
                frame(y, f).addi(last);
            }
        }
    }

    /** Tap k of frames [from, to): {@code [N, to-from, nOut, H*W]}. */
    private static INDArray tap(INDArray z, int k, long from, long to) {
        return z.get(all(), NDArrayIndex.interval(from, to), NDArrayIndex.point(k), all(), all());
    }

    /** Tap k of frame f: {@code [N, nOut, H*W]}. */
    private static INDArray tapFrame(INDArray z, int k, long f) {
        return z.get(all(), NDArrayIndex.point(f), NDArrayIndex.point(k), all(), all());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        long n = epsilon.size(0);
        long t = epsilon.size(1);
        long cout = epsilon.size(2);
        long h = epsilon.size(3);
        long w = epsilon.size(4);
        int d = trainingDilation;
        INDArray eps = epsilon.reshape('c', n, t, cout, h * w);
        INDArray dz = mgr.create(ArrayType.BP_WORKING_MEM, epsilon.dataType(), new long[]{n, t, TemporalConvolution.TAPS, cout, h * w}, 'c');
        dz.get(all(), all(), NDArrayIndex.point(1), all(), all()).assign(eps);
        if (t > d) {
            tap(dz, 0, 0, t - d).assign(eps.get(all(), NDArrayIndex.interval(d, t), all(), all()));
            tap(dz, 2, d, t).assign(eps.get(all(), NDArrayIndex.interval(0, t - d), all(), all()));
        }
        if (layerConf().getPadding() == TemporalPadding.REPLICATE) {
            for (long f = 0; f < Math.min(d, t); f++) {
                tapFrame(dz, 0, 0).addi(frame(eps, f));
            }
            for (long f = Math.max(t - d, 0); f < t; f++) {
                tapFrame(dz, 2, t - 1).addi(frame(eps, f));
            }
        }

        INDArray frames = ClipShapes.toFrames(input);
        INDArray weights = getParam(TemporalConvolutionParams.WEIGHT);
        INDArray gradInput = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, frames.dataType(), frames.shape(), 'c');
        INDArray gradW = gradientViews.get(TemporalConvolutionParams.WEIGHT);
        INDArray gradOut = dz.reshape('c', n * t, TemporalConvolution.TAPS * cout, h, w);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(frames, weights, gradOut).addOutputs(gradInput, gradW)
                .addIntegerArguments(conv2dArgs(layerConf().getSpatialStride())).build());

        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(TemporalConvolutionParams.WEIGHT, gradW);
        if (layerConf().hasBias()) {
            INDArray gradB = gradientViews.get(TemporalConvolutionParams.BIAS);
            gradB.assign(eps.sum(0, 1, 3).reshape(1, cout));
            g.gradientForVariable().put(TemporalConvolutionParams.BIAS, gradB);
        }
        return new Pair<>(g, ClipShapes.toClip(gradInput, t));
    }

    private static INDArray frame(INDArray a, long f) {
        return a.get(all(), NDArrayIndex.point(f), all(), all());
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL3D;
    }
}
