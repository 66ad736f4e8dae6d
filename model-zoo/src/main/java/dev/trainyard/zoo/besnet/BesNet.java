package dev.trainyard.zoo.besnet;

import dev.trainyard.zoo.besnet.BesNetStages.Block;
import dev.trainyard.zoo.besnet.BesNetStages.Conv;
import dev.trainyard.zoo.video.ClipShapes;
import dev.trainyard.zoo.video.FrameWise;
import dev.trainyard.zoo.video.SpatioTemporalPooling;
import dev.trainyard.zoo.video.TemporalConvolution;
import dev.trainyard.zoo.video.TimeMajor;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds BesNet from a {@link BesNetSpec}: the stem, then one loop over the stage table, then the
 * head. Layer names follow DL4J's zoo ResNet50 ({@code stem-cnn1}, {@code res2a_branch2a},
 * {@code bn2a_branch2a}, {@code res2a_branch1}, {@code output}) so 2D weights map by name.
 * Input: clips {@code [N, 3, T, H, W]} (NCDHW); output: class probabilities {@code [N, classes]}.
 */
public final class BesNet {
    public static final String INPUT = "clip";
    public static final String OUTPUT = "output";
    public static final String POOL = "pool";

    private BesNet() {
    }

    public static ComputationGraph build(BesNetSpec spec) {
        ComputationGraph net = new ComputationGraph(configuration(spec));
        net.init();
        return net;
    }

    public static ComputationGraphConfiguration configuration(BesNetSpec spec) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(spec.learningRate()))
                // DL4J's default layer activation is sigmoid; every nonlinearity here is an explicit ReLU layer
                .activation(Activation.IDENTITY)
                .weightInit(WeightInit.RELU)
                .l2(spec.l2())
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(ClipShapes.clip(spec.frames(), spec.height(), spec.width(), 3))
                .addLayer("time-major", new TimeMajor(), INPUT);

        String prev = stem(g, spec, "time-major");
        BesNetStages.Depth depth = BesNetStages.forDepth(spec.depth());
        int in = spec.channels(BesNetStages.STEM_WIDTH);
        for (int stage = 0; stage < 4; stage++) {
            int width = spec.channels(BesNetStages.BASE_WIDTHS[stage]);
            int out = width * depth.block().expansion;
            for (int b = 0; b < depth.blocks()[stage]; b++) {
                int stride = b > 0 ? 1 : stage == 0 ? spec.firstStageStride() : 2;
                String name = (stage + 2) + String.valueOf((char) ('a' + b));
                prev = block(g, spec, depth.block(), name, prev, in, width, out, stride);
                in = out;
            }
        }

        g.addLayer(POOL, new SpatioTemporalPooling(), prev);
        String head = POOL;
        if (spec.dropout() > 0) {
            // DL4J's dropout argument is the probability of keeping a unit
            g.addLayer("dropout", new DropoutLayer.Builder(1.0 - spec.dropout()).build(), POOL);
            head = "dropout";
        }
        g.addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER).nOut(spec.numClasses()).build(), head);
        return g.setOutputs(OUTPUT).build();
    }

    /** 7 x 7 stride-2 convolution and 3 x 3 stride-2 max pooling on every frame, as ResNet. */
    private static String stem(ComputationGraphConfiguration.GraphBuilder g, BesNetSpec spec, String input) {
        g.addLayer("stem-zero", new FrameWise(new ZeroPaddingLayer.Builder(3, 3).build()), input);
        g.addLayer("stem-cnn1", new FrameWise(new ConvolutionLayer.Builder(7, 7).stride(2, 2)
                .nOut(spec.channels(BesNetStages.STEM_WIDTH)).build()), "stem-zero");
        String normed = normAndActivate(g, spec, "stem-cnn1", "stem-batch1", "stem-act1", true);
        g.addLayer("stem-maxpool1", new FrameWise(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(3, 3).stride(2, 2).build()), normed);
        return "stem-maxpool1";
    }

    /** One residual block: the branch's convolutions from the table, the shortcut, the addition. */
    private static String block(ComputationGraphConfiguration.GraphBuilder g, BesNetSpec spec, Block block, String name,
                                String input, int in, int width, int out, int stride) {
        boolean postActivation = spec.order() == BesNetSpec.Order.BN_RELU;
        String branch = input;
        for (int i = 0; i < block.convs.size(); i++) {
            Conv c = block.convs.get(i);
            boolean last = i == block.convs.size() - 1;
            branch = convUnit(g, spec, name, c.suffix(), c.kind(), width * c.expand(), c.strided() ? stride : 1, branch,
                    !(last && postActivation));
        }
        String shortcut = input;
        if (stride != 1 || in != out) {
            shortcut = convUnit(g, spec, name, "1", BesNetStages.Kind.TEMPORAL, out, stride, input, false);
        }
        if (spec.residualBeta() != 1.0) {
            g.addVertex("scale" + name + "_branch", new ScaleVertex(spec.residualBeta()), branch);
            branch = "scale" + name + "_branch";
        }
        String blockOut = "res" + name + "_branch";
        if (!postActivation) {
            g.addVertex(blockOut, new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, shortcut);
            return blockOut;
        }
        g.addVertex("short" + name + "_branch", new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, shortcut);
        g.addLayer(blockOut, relu(), "short" + name + "_branch");
        return blockOut;
    }

    private static String convUnit(ComputationGraphConfiguration.GraphBuilder g, BesNetSpec spec, String block, String suffix,
                                   BesNetStages.Kind kind, int channels, int stride, String input, boolean activate) {
        String conv = "res" + block + "_branch" + suffix;
        Layer layer = kind == BesNetStages.Kind.TEMPORAL
                ? new TemporalConvolution.Builder().nOut(channels).spatialStride(stride).dilations(spec.dilations())
                        .padding(spec.padding()).dilationSeed(spec.seed()).build()
                : new FrameWise(new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(channels)
                        .convolutionMode(ConvolutionMode.Same).build());
        g.addLayer(conv, layer, input);
        return normAndActivate(g, spec, conv, "bn" + block + "_branch" + suffix, "act" + block + "_branch" + suffix, activate);
    }

    /** Batch normalisation and ReLU in the spec's order; returns the last vertex. */
    private static String normAndActivate(ComputationGraphConfiguration.GraphBuilder g, BesNetSpec spec, String input,
                                          String bn, String act, boolean activate) {
        if (!activate) {
            g.addLayer(bn, new FrameWise(new BatchNormalization.Builder().build()), input);
            return bn;
        }
        if (spec.order() == BesNetSpec.Order.BN_RELU) {
            g.addLayer(bn, new FrameWise(new BatchNormalization.Builder().build()), input);
            g.addLayer(act, relu(), bn);
            return act;
        }
        g.addLayer(act, relu(), input);
        g.addLayer(bn, new FrameWise(new BatchNormalization.Builder().build()), act);
        return bn;
    }

    private static FrameWise relu() {
        return new FrameWise(new ActivationLayer.Builder().activation(Activation.RELU).build());
    }
}
