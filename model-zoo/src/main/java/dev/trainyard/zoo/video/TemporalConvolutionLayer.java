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
        Frames yRows = new Frames(out, n, t, 1);
        Frames zRows = new Frames(taps, n, t, TemporalConvolution.TAPS);
        yRows.move(0, 0, zRows, 1, 0, t, 1.0, false);
        if (training) {
            trainingDilation = nextTrainingDilation();
            addShiftedTaps(y, z, yRows, zRows, trainingDilation, 1.0);
        } else {
            int[] ds = layerConf().getDilations();
            for (int d : ds) {
                addShiftedTaps(y, z, yRows, zRows, d, 1.0 / ds.length);
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
    private void addShiftedTaps(INDArray y, INDArray z, Frames yRows, Frames zRows, int d, double scale) {
        long t = y.size(1);
        if (t > d) {
            yRows.move(0, d, zRows, 0, 0, t - d, scale, true);
            yRows.move(0, 0, zRows, 2, d, t - d, scale, true);
        }
        if (layerConf().getPadding() == TemporalPadding.REPLICATE) {
            INDArray first = scaled(tapFrame(z, 0, 0), scale);
            INDArray last = scaled(tapFrame(z, 2, t - 1), scale);
            for (long f = 0; f < Math.min(d, t); f++) {
                frame(y, f).addi(first);
            }
            for (long f = Math.max(t - d, 0); f < t; f++) {
                frame(y, f).addi(last);
            }
        }
    }

    /** The view itself when unscaled (every training pass): no copy of a whole tap. */
    private static INDArray scaled(INDArray view, double scale) {
        return scale == 1.0 ? view : view.mul(scale);
    }

    /**
     * A time-major array seen as one contiguous row per (clip, frame, tap). Moving whole frames row
     * by row keeps every native op on contiguous memory: the same shifts as strided 5D views ran
     * several times slower (docs/benchmarks.md).
     */
    private static final class Frames {
        private final INDArray rows;
        private final long frames;
        private final int taps;

        Frames(INDArray a, long clips, long frames, int taps) {
            this.rows = a.reshape('c', clips * frames * taps, a.length() / (clips * frames * taps));
            this.frames = frames;
            this.taps = taps;
        }

        /** For every clip and j < count: this[tap, from + j] = (or +=) scale * src[srcTap, srcFrom + j]. */
        void move(int tap, long from, Frames src, int srcTap, long srcFrom, long count, double scale, boolean add) {
            long clips = rows.size(0) / (frames * taps);
            for (long c = 0; c < clips; c++) {
                for (long j = 0; j < count; j++) {
                    INDArray to = rows.getRow((c * frames + from + j) * taps + tap);
                    INDArray value = scaled(src.rows.getRow((c * src.frames + srcFrom + j) * src.taps + srcTap), scale);
                    if (add) {
                        to.addi(value);
                    } else {
                        to.assign(value);
                    }
                }
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
        Frames dzRows = new Frames(dz, n, t, TemporalConvolution.TAPS);
        Frames epsRows = new Frames(eps, n, t, 1);
        dzRows.move(1, 0, epsRows, 0, 0, t, 1.0, false);
        if (t > d) {
            dzRows.move(0, 0, epsRows, 0, d, t - d, 1.0, false);
            dzRows.move(2, d, epsRows, 0, 0, t - d, 1.0, false);
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
