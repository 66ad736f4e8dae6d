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
import org.nd4j.linalg.api.shape.Shape;
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
                batchMean = frames.mean(NON_CHANNEL);
                batchVar = frames.var(false, NON_CHANNEL);
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
        INDArray eps = Shape.hasDefaultStridesForShape(epsilon) ? epsilon : epsilon.dup('c');
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(frames, batchMean, batchVar, gammaOrBeta(layer, BatchNormalizationParamInitializer.GAMMA),
                        gammaOrBeta(layer, BatchNormalizationParamInitializer.BETA), eps)
                .addOutputs(gradIn, Nd4j.createUninitialized(batchMean.dataType(), n), Nd4j.createUninitialized(batchVar.dataType(), n),
                        dGamma.reshape(n), dBeta.reshape(n))
                .addIntegerArguments(1, 1, 1).addFloatingPointArguments(c.getEps()).build());

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
