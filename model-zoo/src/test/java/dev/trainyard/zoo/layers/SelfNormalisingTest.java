package dev.trainyard.zoo.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SELU notes' properties, measured on DL4J's implementation. */
class SelfNormalisingTest {
    private static final int DEPTH = 32;
    private static final int WIDTH = 256;

    @Test
    void dl4jUsesTheNotesConstants() {
        assertEquals(SelfNormalising.ALPHA, AlphaDropout.DEFAULT_ALPHA, 1e-15);
        assertEquals(SelfNormalising.LAMBDA, AlphaDropout.DEFAULT_LAMBDA, 1e-15);
        INDArray x = Nd4j.createFromArray(-1.0, 2.0);
        INDArray y = Activation.SELU.getActivationFunction().getActivation(x.dup(), true);
        assertEquals(SelfNormalising.LAMBDA * SelfNormalising.ALPHA * (Math.exp(-1) - 1), y.getDouble(0), 1e-6);
        assertEquals(SelfNormalising.LAMBDA * 2, y.getDouble(1), 1e-6);
    }

    @Test
    void lecunNormalHasVarianceOneOverFanIn() {
        MultiLayerNetwork net = stack(1, 1000, Activation.SELU, SelfNormalising.WEIGHT_INIT);
        double var = net.getLayer(0).getParam("W").varNumber().doubleValue();
        assertEquals(1.0 / 1000, var, 0.1 / 1000, "variance of W");
    }

    @Test
    void seluKeepsMeanZeroVarianceOneThrough32LayersWhereReluDrifts() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2000, WIDTH).castTo(DataType.FLOAT);
        List<INDArray> selu = stack(DEPTH, WIDTH, SelfNormalising.ACTIVATION, SelfNormalising.WEIGHT_INIT).feedForward(x, false);
        List<INDArray> relu = stack(DEPTH, WIDTH, Activation.RELU, SelfNormalising.WEIGHT_INIT).feedForward(x, false);
        StringBuilder table = new StringBuilder("layer selu_mean selu_var relu_mean relu_var\n");
        for (int l = 1; l <= DEPTH; l++) {
            double m = selu.get(l).meanNumber().doubleValue();
            double v = selu.get(l).varNumber().doubleValue();
            table.append(String.format("%d %.3f %.3f %.3g %.3g%n", l, m, v, relu.get(l).meanNumber().doubleValue(),
                    relu.get(l).varNumber().doubleValue()));
            assertTrue(Math.abs(m) < 0.15 && Math.abs(v - 1) < 0.25, "SELU layer " + l + ": mean " + m + ", variance " + v + "\n" + table);
        }
        double reluLast = relu.get(DEPTH).varNumber().doubleValue();
        assertTrue(reluLast < 1e-3, "ReLU with the same init and no normalisation collapses: variance " + reluLast + "\n" + table);
        System.out.print(table);
    }

    @Test
    void alphaDropoutKeepsMeanAndVarianceInTrainingModeWherePlainDropoutDoesNot() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 400, 1000);
        AlphaDropout ad = (AlphaDropout) SelfNormalising.alphaDropout(0.2);
        INDArray alpha = ad.applyDropout(x.dup(), Nd4j.createUninitialized(DataType.FLOAT, 400, 1000), 0, 0, LayerWorkspaceMgr.noWorkspaces());
        INDArray plain = new Dropout(0.8)
                .applyDropout(x.dup(), Nd4j.createUninitialized(DataType.FLOAT, 400, 1000), 0, 0, LayerWorkspaceMgr.noWorkspaces());
        assertEquals(0, alpha.meanNumber().doubleValue(), 0.02, "alpha dropout mean");
        assertEquals(1, alpha.varNumber().doubleValue(), 0.03, "alpha dropout variance");
        double plainVar = plain.varNumber().doubleValue();
        assertEquals(1 / 0.8, plainVar, 0.03, "inverted dropout scales the variance by 1/keep");
        // a dropped unit becomes -lambda*alpha, then goes through the same affine correction a*x + b
        assertEquals(-SelfNormalising.LAMBDA * SelfNormalising.ALPHA, ad.getAlphaPrime(), 1e-9);
        double droppedValue = ad.getA() * ad.getAlphaPrime() + ad.getB();
        long dropped = org.nd4j.linalg.ops.transforms.Transforms.abs(alpha.sub(droppedValue)).lt(1e-5)
                .castTo(DataType.INT32).sumNumber().longValue();
        assertEquals(0.2, dropped / 400_000.0, 0.01, "share of units dropped");
    }

    private static MultiLayerNetwork stack(int depth, int width, Activation act, WeightInit init) {
        var list = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).weightInit(init).list();
        for (int i = 0; i < depth; i++) {
            list.layer(new DenseLayer.Builder().nIn(width).nOut(width).activation(act).hasBias(false).build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }
}
