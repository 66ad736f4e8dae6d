package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * A stock {@link BatchNormalization} layer over frames as native {@code batchnorm} /
 * {@code batchnorm_bp} ops (oneDNN's on the oneDNN build) instead of DL4J's dozen element-wise
 * and broadcast ops per pass, for the same reason as {@link FrameConvolution}. The running
 * statistics keep DL4J's scheme exactly: they are "gradients" the updater subtracts, so a model
 * trained either way saves and restores the same parameters.
 */
final class FrameBatchNorm {
    private static final int[] NON_CHANNEL = {0, 2, 3};
    private static final double ONE_ON_2LOGE_10 = 1.0 / (2 * Math.log(10.0));

    /** The minibatch statistics of the last training forward pass, needed by its backward pass. */
    private INDArray batchMean;
    private INDArray batchVar;

    static boolean supports(org.deeplearning4j.nn.api.Layer layer) {
        if (layer.getClass() != BatchNormalization.class) {
            return false;
        }
        var c = conf(layer);
        return !c.isLockGammaBeta() && c.getCnn2DFormat() == CNN2DFormat.NCHW;
    }

    INDArray activate(BatchNormalization layer, INDArray frames, boolean training, LayerWorkspaceMgr mgr) {
        var c = conf(layer);
        long n = c.getNOut();
        INDArray mean;
        INDArray var;
        if (training) {
            // kept for the backward pass, so outside the forward pass's workspace
            try (var ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                // one pass for both: ND4J's var over (0, 2, 3) alone cost 6x its mean
                batchMean = Nd4j.createUninitialized(frames.dataType(), n);
                batchVar = Nd4j.createUninitialized(frames.dataType(), n);
                Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(frames).addOutputs(batchMean, batchVar)
                        .addIntegerArguments(NON_CHANNEL).build());
            }
            mean = batchMean;
            var = batchVar;
        } else {
            mean = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(n);
            var = globalVariance(layer).reshape(n);
        }
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, frames.dataType(), frames.shape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(frames, mean, var, gammaOrBeta(layer, BatchNormalizationParamInitializer.GAMMA),
                        gammaOrBeta(layer, BatchNormalizationParamInitializer.BETA))
                .addOutputs(out).addIntegerArguments(1, 1, 1).addFloatingPointArguments(c.getEps()).build());
        return out;
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
        backward(frames, epsilon, gammaOrBeta(layer, BatchNormalizationParamInitializer.GAMMA), c.getEps(), gradIn,
                dGamma.reshape(n), dBeta.reshape(n), mgr);
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
     * {@code b = -g/(s^3 M) sum(dy (x - mean))}, {@code c = -g/(s M) sum(dy)}. libnd4j's
     * {@code batchnorm_bp} took 3x as long, most of it in its own corrections around oneDNN's call.
     */
    private void backward(INDArray frames, INDArray epsilon, INDArray gamma, double eps, INDArray gradIn,
                          INDArray dGamma, INDArray dBeta, LayerWorkspaceMgr mgr) {
        long f = frames.size(0);
        long n = frames.size(1);
        long pixels = frames.size(2) * frames.size(3);
        double m = (double) f * pixels;
        INDArray x = frames.reshape('c', f, n, pixels);
        INDArray dy = epsilon.reshape('c', f, n, pixels);
        INDArray dx = gradIn.reshape('c', f, n, pixels);
        INDArray centred = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, frames.dataType(), x.shape(), 'c');
        Nd4j.exec(new SubOp(x, perChannel(batchMean), centred));
        INDArray ones = Nd4j.ones(frames.dataType(), pixels, 1);
        INDArray sumDy = channelSums(dy, ones);
        Nd4j.exec(new MulOp(dy, centred, dx));
        INDArray invStd = Transforms.pow(batchVar.add(eps), -0.5, false);
        INDArray dGammaV = channelSums(dx, ones).muli(invStd);
        INDArray a = gamma.mul(invStd);
        INDArray b = a.mul(invStd).muli(dGammaV).divi(-m);
        INDArray c = a.mul(sumDy).divi(-m);
        Nd4j.exec(new MulOp(dy, perChannel(a), dx));
        Nd4j.exec(new MulOp(centred, perChannel(b), centred));
        dx.addi(centred);
        Nd4j.exec(new AddOp(dx, perChannel(c), dx));
        dGamma.assign(dGammaV);
        dBeta.assign(sumDy);
    }

    /** Per-channel sums of {@code [F, C, P]}: one matrix-vector product over its F*C rows, then F rows of C added. */
    private static INDArray channelSums(INDArray a, INDArray ones) {
        INDArray perRow = Nd4j.createUninitialized(a.dataType(), a.size(0) * a.size(1), 1);
        Nd4j.gemm(a.reshape('c', a.size(0) * a.size(1), a.size(2)), ones, perRow, false, false, 1.0, 0.0);
        return perRow.reshape(a.size(0), a.size(1)).sum(0);
    }

    /** A per-channel vector shaped {@code [1, C, 1]}, to broadcast over {@code [F, C, P]}. */
    private static INDArray perChannel(INDArray channels) {
        return channels.reshape(1, channels.length(), 1);
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
