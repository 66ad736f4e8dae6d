package dev.trainyard.zoo.siamese;

import dev.trainyard.zoo.layers.ContrastiveLoss;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2Vertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import dev.trainyard.zoo.layers.SelfNormalising;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Siamese graph from a {@link SiameseSpec}. DL4J cannot share weights between two
 * inputs, so both questions are stacked into one batch ({@code StackVertex}), run through one
 * tower, and split again ({@code UnstackVertex}): the tower's weights are shared by construction.
 */
public final class SiameseNetwork {
    public static final String INPUT_1 = "q1";
    public static final String INPUT_2 = "q2";
    public static final String OUTPUT = "out";

    private SiameseNetwork() {
    }

    public static ComputationGraph build(SiameseSpec spec) {
        ComputationGraph net = new ComputationGraph(configuration(spec));
        net.init();
        return net;
    }

    public static ComputationGraphConfiguration configuration(SiameseSpec spec) {
        IUpdater updater = spec.updater() == SiameseSpec.Updater.ADAM ? new Adam(spec.learningRate()) : new Sgd(spec.learningRate());
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .l2(spec.l2())
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs(INPUT_1, INPUT_2);
        if (!spec.readsTokens()) {
            // token ids carry no input type: DL4J would overwrite the embedding's vocabulary size with the
            // input's one channel, so that tower sets every nIn itself
            g.setInputTypes(InputType.feedForward(spec.inputDim()), InputType.feedForward(spec.inputDim()));
        }
        g.addVertex("stack", new StackVertex(), INPUT_1, INPUT_2);

        String prev = spec.readsTokens() ? SequenceTower.add(g, spec, "stack") : "stack";
        int prevWidth = spec.readsTokens() ? spec.encoder().outputWidth() : spec.inputDim();
        List<String> layerOutputs = new ArrayList<>();
        for (int i = 0; i < spec.hidden().size(); i++) {
            int width = spec.hidden().get(i);
            String block = towerLayer(g, spec, i, prev, prevWidth, width);
            if (spec.residual() && width == prevWidth && i > 0) {
                String res = "res_" + i;
                g.addVertex(res, new ElementWiseVertex(ElementWiseVertex.Op.Add), block, prev);
                block = res;
            }
            if (spec.dropout() > 0) {
                String drop = "drop_" + i;
                // DL4J's dropout argument is the probability of keeping a unit; SELU towers need alpha dropout
                g.addLayer(drop, spec.norm() == SiameseSpec.Norm.SELU
                        ? new DropoutLayer.Builder().dropOut(SelfNormalising.alphaDropout(spec.dropout())).build()
                        : new DropoutLayer.Builder(1.0 - spec.dropout()).build(), block);
                block = drop;
            }
            layerOutputs.add(block);
            prev = block;
            prevWidth = width;
        }
        String tower = prev;
        int towerWidth = prevWidth;
        if (spec.concat() && layerOutputs.size() > 1) {
            towerWidth = spec.hidden().stream().mapToInt(Integer::intValue).sum();
            g.addVertex("concat", new MergeVertex(), layerOutputs.toArray(String[]::new));
            tower = "concat";
        }
        g.addVertex("left", new UnstackVertex(0, 2), tower);
        g.addVertex("right", new UnstackVertex(1, 2), tower);

        if (spec.head() == SiameseSpec.Head.DISTANCE) {
            g.addVertex("distance", new L2Vertex(), "left", "right");
            g.addLayer(OUTPUT, new LossLayer.Builder().lossFunction(new ContrastiveLoss(spec.margin()))
                    .activation(Activation.IDENTITY).build(), "distance");
        } else {
            // symmetric pair features: (a-b)^2 and a*b, so swapping the questions changes nothing
            g.addVertex("diff", new ElementWiseVertex(ElementWiseVertex.Op.Subtract), "left", "right");
            g.addVertex("sqdiff", new ElementWiseVertex(ElementWiseVertex.Op.Product), "diff", "diff");
            g.addVertex("prod", new ElementWiseVertex(ElementWiseVertex.Op.Product), "left", "right");
            g.addVertex("pair", new MergeVertex(), "sqdiff", "prod");
            g.addLayer("fc", new DenseLayer.Builder().nIn(2L * towerWidth).nOut(spec.fcSize()).activation(Activation.RELU).build(), "pair");
            g.addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(spec.fcSize()).nOut(1)
                    .activation(Activation.SIGMOID).build(), "fc");
        }
        return g.setOutputs(OUTPUT).build();
    }

    /** One tower layer: dense, then BN and ReLU in the order the spec asks, or dense SELU. Returns the last vertex name. */
    private static String towerLayer(ComputationGraphConfiguration.GraphBuilder g, SiameseSpec spec, int i,
                                     String input, int nIn, int width) {
        String dense = "dense_" + i;
        String bn = "bn_" + i;
        String relu = "relu_" + i;
        switch (spec.norm()) {
            case BEFORE_RELU -> {
                g.addLayer(dense, new DenseLayer.Builder().nIn(nIn).nOut(width).activation(Activation.IDENTITY).build(), input);
                g.addLayer(bn, new BatchNormalization.Builder().nOut(width).build(), dense);
                g.addLayer(relu, new ActivationLayer.Builder().activation(Activation.RELU).build(), bn);
                return relu;
            }
            case AFTER_RELU -> {
                g.addLayer(dense, new DenseLayer.Builder().nIn(nIn).nOut(width).activation(Activation.RELU).build(), input);
                g.addLayer(bn, new BatchNormalization.Builder().nOut(width).build(), dense);
                return bn;
            }
            case SELU -> {
                g.addLayer(dense, new DenseLayer.Builder().nIn(nIn).nOut(width).activation(SelfNormalising.ACTIVATION)
                        .weightInit(SelfNormalising.WEIGHT_INIT).build(), input);
                return dense;
            }
            default -> {
                g.addLayer(dense, new DenseLayer.Builder().nIn(nIn).nOut(width).activation(Activation.RELU).build(), input);
                return dense;
            }
        }
    }

    /** True when a higher output means "duplicate" (FC head: probability); false for a distance. */
    public static boolean higherMeansDuplicate(SiameseSpec.Head head) {
        return head == SiameseSpec.Head.FC;
    }
}
