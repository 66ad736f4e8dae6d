package dev.trainyard.zoo.video;

import dev.trainyard.zoo.layers.KeptForBackward;
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

/** The runtime side of {@link TemporalConvolution}. */
public class TemporalConvolutionLayer extends BaseLayer<TemporalConvolution> {
    /** Dilation of the last training forward pass, needed by its backward pass. */
    private int trainingDilation;
    /** The sampled pixel rows of the last strided training forward pass, reused by its backward pass. */
    private final KeptForBackward<PixelRows> trainingRows = new KeptForBackward<>();

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
        if (ClipShapes.channels(input) != layerConf().getNIn()) {
            throw new IllegalArgumentException("layer " + layerConf().getLayerName() + " expects " + layerConf().getNIn()
                    + " channels, got input " + java.util.Arrays.toString(input.shape()));
        }
        // in training a strided layer's rows live in DL4J's INPUT workspace, open through the backward
        // pass; at stride 1 they are the input reshaped, nothing to keep
        int stride = layerConf().getSpatialStride();
        PixelRows x = PixelRows.of(input, stride, mgr, training ? ArrayType.INPUT : ArrayType.FF_WORKING_MEM);
        if (training && stride > 1) {
            trainingRows.keep(x, x.rows(), input);
        }
        long cout = layerConf().getNOut();
        INDArray[] w = taps(getParam(TemporalConvolutionParams.WEIGHT));
        // channels last, the output's pixel rows are the output clip: the products write straight into it
        INDArray y = mgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), new long[]{x.rows().size(0), cout}, 'c');
        matmul(x.rows(), w[1], y, false, true, 1.0, 0.0);
        if (training) {
            trainingDilation = nextTrainingDilation();
            addShiftedTaps(x, w, y, trainingDilation, 1.0);
        } else {
            int[] ds = layerConf().getDilations();
            for (int d : ds) {
                addShiftedTaps(x, w, y, d, 1.0 / ds.length);
            }
        }
        if (layerConf().hasBias()) {
            y.addiRowVector(getParam(TemporalConvolutionParams.BIAS));
        }
        return y.reshape('c', x.clipShape(cout));
    }

    /** {@code y[t] += scale * (W0 x[t-d] + W2 x[t+d])}: one matrix product per link and clip, straight into y. */
    private void addShiftedTaps(PixelRows x, INDArray[] w, INDArray y, int d, double scale) {
        for (TemporalTaps.Link link : TemporalTaps.of(x.frames(), d, layerConf().getPadding()).links()) {
            for (long c = 0; c < x.clips(); c++) {
                matmul(x.frames(x.rows(), c, link.in(), link.frames()), w[link.tap()],
                        x.frames(y, c, link.out(), link.frames()), false, true, scale, 1.0);
            }
        }
    }

    /** The three taps of {@code W [3*nOut, nIn, 1, 1]} as {@code [nOut, nIn]} views. */
    private static INDArray[] taps(INDArray weights) {
        long nOut = weights.size(0) / TemporalConvolution.TAPS;
        INDArray w = weights.reshape('c', weights.size(0), weights.size(1));
        INDArray[] k = new INDArray[TemporalConvolution.TAPS];
        for (int i = 0; i < k.length; i++) {
            k[i] = RowBlock.of(w, i * nOut, nOut);
        }
        return k;
    }

    /**
     * {@code c = alpha * op(a) op(b) + beta * c} in one BLAS call. Unlike {@code Nd4j.gemm}, the
     * {@code matmul} op writes into a view, so every shifted tap lands in place.
     */
    private static void matmul(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
        Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(a, b).addOutputs(c)
                .addFloatingPointArguments(alpha, beta).addIntegerArguments(transA ? 1 : 0, transB ? 1 : 0).build());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        PixelRows x = rowsForBackward(mgr);
        INDArray e = x.fromClip(epsilon);
        INDArray[] w = taps(getParam(TemporalConvolutionParams.WEIGHT));
        INDArray gradW = gradientViews.get(TemporalConvolutionParams.WEIGHT);
        INDArray[] gw = taps(gradW);
        INDArray gx = x.newInputGradientRows(input, mgr);
        matmul(e, x.rows(), gw[1], true, false, 1.0, 0.0);
        matmul(e, w[1], gx, false, false, 1.0, 0.0);
        gw[0].assign(0);
        gw[2].assign(0);
        for (TemporalTaps.Link link : TemporalTaps.of(x.frames(), trainingDilation, layerConf().getPadding()).links()) {
            for (long c = 0; c < x.clips(); c++) {
                INDArray eOut = x.frames(e, c, link.out(), link.frames());
                matmul(eOut, x.frames(x.rows(), c, link.in(), link.frames()), gw[link.tap()], true, false, 1.0, 1.0);
                matmul(eOut, w[link.tap()], x.frames(gx, c, link.in(), link.frames()), false, false, 1.0, 1.0);
            }
        }

        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(TemporalConvolutionParams.WEIGHT, gradW);
        if (layerConf().hasBias()) {
            INDArray gradB = gradientViews.get(TemporalConvolutionParams.BIAS);
            // column sums as one matrix-vector product: ND4J's sum(0) over [rows, nOut] takes a slow strided path
            matmul(Nd4j.ones(e.dataType(), 1, e.size(0)), e, gradB, false, false, 1.0, 0.0);
            g.gradientForVariable().put(TemporalConvolutionParams.BIAS, gradB);
        }
        return new Pair<>(g, x.toInputGradient(gx, input, mgr));
    }

    /** The forward pass's pixel rows when still valid, else new ones. */
    private PixelRows rowsForBackward(LayerWorkspaceMgr mgr) {
        PixelRows kept = trainingRows.take(input);
        return kept != null ? kept : PixelRows.of(input, layerConf().getSpatialStride(), mgr, ArrayType.BP_WORKING_MEM);
    }

    @Override
    public void clear() {
        super.clear();
        trainingRows.clear();
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
