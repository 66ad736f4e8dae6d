package dev.trainyard.zoo.video;

import dev.trainyard.zoo.layers.KeptForBackward;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * A stock {@link BatchNormalization} layer over frames as a few whole-array passes each way: frames
 * seen as {@code [F, C, H*W]} (NCHW) or as pixel rows {@code [F*H*W, C]} (NHWC, BesNet's),
 * per-channel sums as matrix-vector products, per-channel factors broadcast straight into their
 * outputs. DL4J's layer runs a dozen element-wise and broadcast ops per pass, and libnd4j's {@code batchnorm}/{@code batchnorm_bp} ops (oneDNN's plain-layout batch
 * norm plus libnd4j's own corrections) were slower than these passes (the A/B in docs/benchmarks.md).
 * The running statistics keep DL4J's scheme exactly: they are "gradients" the updater subtracts,
 * so a model trained either way saves and restores the same parameters.
 */
final class FrameBatchNorm {
    private static final double ONE_ON_2LOGE_10 = 1.0 / (2 * Math.log(10.0));

    /** The minibatch statistics of the last training forward pass, needed by its backward pass. */
    private INDArray batchMean;
    private INDArray batchVar;
    /** x - mean of the last training forward pass. */
    private final KeptForBackward<INDArray> centred = new KeptForBackward<>();

    static boolean supports(org.deeplearning4j.nn.api.Layer layer) {
        if (layer.getClass() != BatchNormalization.class) {
            return false;
        }
        var c = conf(layer);
        return !c.isLockGammaBeta();
    }

    INDArray activate(BatchNormalization layer, INDArray frames, boolean training, LayerWorkspaceMgr mgr) {
        var c = conf(layer);
        long n = c.getNOut();
        INDArray x = asChannels(frames, channelsLast(c));
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, frames.dataType(), frames.shape(), 'c');
        INDArray y = asChannels(out, channelsLast(c));
        INDArray xc;
        INDArray var;
        if (training) {
            INDArray ones = onesFor(x);
            double m = perChannelCount(x);
            // kept for the backward pass, so outside the forward pass's workspace
            try (var ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                batchMean = channelSums(x, ones).divi(m);
            }
            // x - mean is kept for the backward pass too
            xc = mgr.createUninitialized(ArrayType.INPUT, frames.dataType(), x.shape(), 'c');
            centred.keep(xc, xc, frames);
            Nd4j.exec(new SubOp(x, perChannel(batchMean, x), xc));
            INDArray squares = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, frames.dataType(), x.shape(), 'c');
            Nd4j.exec(new MulOp(xc, xc, squares));
            try (var ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                batchVar = channelSums(squares, ones).divi(m);
            }
            var = batchVar;
        } else {
            xc = y;
            Nd4j.exec(new SubOp(x, perChannel(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(n), x), xc));
            var = globalVariance(layer).reshape(n);
        }
        INDArray scale = Transforms.pow(var.add(c.getEps()), -0.5, false).muli(gammaOrBeta(layer, BatchNormalizationParamInitializer.GAMMA));
        Nd4j.exec(new MulOp(xc, perChannel(scale, x), y));
        Nd4j.exec(new AddOp(y, perChannel(gammaOrBeta(layer, BatchNormalizationParamInitializer.BETA), x), y));
        return out;
    }

    private static boolean channelsLast(org.deeplearning4j.nn.conf.layers.BatchNormalization c) {
        return c.getCnn2DFormat() == CNN2DFormat.NHWC;
    }

    /**
     * NCHW frames {@code [F, C, H, W]} as {@code [F, C, H*W]}, NHWC frames {@code [F, H, W, C]} as
     * pixel rows {@code [F*H*W, C]}: a view of every array this class writes into.
     */
    private static INDArray asChannels(INDArray frames, boolean channelsLast) {
        return channelsLast
                ? frames.reshape('c', frames.size(0) * frames.size(1) * frames.size(2), frames.size(3))
                : frames.reshape('c', frames.size(0), frames.size(1), frames.size(2) * frames.size(3));
    }

    /** How many values each channel's statistics are over. */
    private static double perChannelCount(INDArray x) {
        return x.rank() == 2 ? x.size(0) : (double) x.size(0) * x.size(2);
    }

    /** The ones vector {@link #channelSums} multiplies by: a row over the pixel rows, or a column over a frame's pixels. */
    private static INDArray onesFor(INDArray x) {
        return x.rank() == 2 ? Nd4j.ones(x.dataType(), 1, x.size(0)) : Nd4j.ones(x.dataType(), x.size(2), 1);
    }

    Pair<Gradient, INDArray> backprop(BatchNormalization layer, INDArray frames, INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (batchMean == null) {
            throw new IllegalStateException("batch norm backward pass without a training forward pass: " + layer.conf().getLayer().getLayerName());
        }
        var c = conf(layer);
        long n = c.getNOut();
        Map<String, INDArray> views = BatchNormalizationParamInitializer.getInstance()
                .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
        INDArray dGamma = views.get(BatchNormalizationParamInitializer.GAMMA);
        INDArray dBeta = views.get(BatchNormalizationParamInitializer.BETA);
        INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, frames.dataType(), frames.shape(), 'c');
        backward(frames, epsilon, channelsLast(c), gammaOrBeta(layer, BatchNormalizationParamInitializer.GAMMA), c.getEps(),
                gradIn, dGamma.reshape(n), dBeta.reshape(n), mgr);
        Gradient g = new DefaultGradient();
        g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
        g.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
        // running statistics as DL4J keeps them: the updater subtracts these "gradients"
        double decay = c.getDecay();
        INDArray dMean = views.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        dMean.assign(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(n).sub(batchMean).reshape(dMean.shape()))
                .muli(1 - decay);
        g.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dMean);
        if (c.isUseLogStd()) {
            INDArray dLogStd = views.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray vari = globalVariance(layer).reshape(n);
            INDArray varNext = vari.mul(decay).addi(batchVar.mul(1 - decay));
            dLogStd.assign(Transforms.log(vari.div(varNext), false).muli(ONE_ON_2LOGE_10).reshape(dLogStd.shape()));
            g.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, dLogStd);
        } else {
            INDArray dVar = views.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
            dVar.assign(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(n).sub(batchVar).reshape(dVar.shape()))
                    .muli(1 - decay);
            g.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, dVar);
        }
        batchMean = null;
        batchVar = null;
        return new Pair<>(g, gradIn);
    }

    /**
     * The batch-norm gradient from the batch statistics, as whole-array passes over frames seen as
     * {@code [F, C, H*W]} (per-channel sums as matrix-vector products, per-channel factors broadcast
     * straight into their outputs): {@code dx = a dy + b (x - mean) + c} with {@code a = g/s},
     * {@code b = -g/(s^3 M) sum(dy (x - mean))}, {@code c = -g/(s M) sum(dy)}.
     */
    private void backward(INDArray frames, INDArray epsilon, boolean channelsLast, INDArray gamma, double eps, INDArray gradIn,
                          INDArray dGamma, INDArray dBeta, LayerWorkspaceMgr mgr) {
        INDArray x = asChannels(frames, channelsLast);
        INDArray dy = asChannels(epsilon, channelsLast);
        INDArray dx = asChannels(gradIn, channelsLast);
        INDArray xc = centredFor(frames, x, mgr);
        double m = perChannelCount(x);
        INDArray ones = onesFor(x);
        INDArray sumDy = channelSums(dy, ones);
        Nd4j.exec(new MulOp(dy, xc, dx));
        INDArray invStd = Transforms.pow(batchVar.add(eps), -0.5, false);
        INDArray dGammaV = channelSums(dx, ones).muli(invStd);
        INDArray a = gamma.mul(invStd);
        INDArray b = a.mul(invStd).muli(dGammaV).divi(-m);
        INDArray c = a.mul(sumDy).divi(-m);
        Nd4j.exec(new MulOp(dy, perChannel(a, x), dx));
        Nd4j.exec(new MulOp(xc, perChannel(b, x), xc));
        dx.addi(xc);
        Nd4j.exec(new AddOp(dx, perChannel(c, x), dx));
        dGamma.assign(dGammaV);
        dBeta.assign(sumDy);
    }

    /** x - mean from the forward pass when still valid, else computed again (the backward pass scales it in place). */
    private INDArray centredFor(INDArray frames, INDArray x, LayerWorkspaceMgr mgr) {
        INDArray kept = centred.take(frames);
        if (kept != null) {
            return kept;
        }
        INDArray xc = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, frames.dataType(), x.shape(), 'c');
        Nd4j.exec(new SubOp(x, perChannel(batchMean, x), xc));
        return xc;
    }

    /**
     * Per-channel sums: of pixel rows {@code [R, C]} as one vector-matrix product; of {@code [F, C, P]}
     * as matrix-vector products over its F*C rows, then over the F frames.
     */
    private static INDArray channelSums(INDArray a, INDArray ones) {
        if (a.rank() == 2) {
            INDArray sums = Nd4j.createUninitialized(a.dataType(), 1, a.size(1));
            Nd4j.gemm(ones, a, sums, false, false, 1.0, 0.0);
            return sums.reshape(a.size(1));
        }
        long f = a.size(0);
        long n = a.size(1);
        INDArray perRow = Nd4j.createUninitialized(a.dataType(), f * n, 1);
        Nd4j.gemm(a.reshape('c', f * n, a.size(2)), ones, perRow, false, false, 1.0, 0.0);
        // not perRow.sum(0): ND4J takes a slow strided path for column sums
        INDArray sums = Nd4j.createUninitialized(a.dataType(), 1, n);
        Nd4j.gemm(Nd4j.ones(a.dataType(), 1, f), perRow.reshape('c', f, n), sums, false, false, 1.0, 0.0);
        return sums.reshape(n);
    }

    /** A per-channel vector shaped to broadcast over {@code x}: {@code [1, C]} over pixel rows, {@code [1, C, 1]} over {@code [F, C, P]}. */
    private static INDArray perChannel(INDArray channels, INDArray x) {
        return x.rank() == 2 ? channels.reshape(1, channels.length()) : channels.reshape(1, channels.length(), 1);
    }

    /** The running variance, from its log10(std) parameterisation when the layer uses one. */
    private static INDArray globalVariance(BatchNormalization layer) {
        if (!conf(layer).isUseLogStd()) {
            return layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
        }
        INDArray log10Std = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
        INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, log10Std.dataType()), log10Std, false);
        return std.muli(std);
    }

    private static INDArray gammaOrBeta(BatchNormalization layer, String key) {
        INDArray p = layer.getParam(key);
        return p.reshape(p.length());
    }

    private static org.deeplearning4j.nn.conf.layers.BatchNormalization conf(org.deeplearning4j.nn.api.Layer layer) {
        return (org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer();
    }
}
