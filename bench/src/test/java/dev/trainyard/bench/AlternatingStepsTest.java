package dev.trainyard.bench;

import dev.trainyard.zoo.besnet.BesNet;
import dev.trainyard.zoo.besnet.BesNetSpec;
import dev.trainyard.zoo.video.FrameWiseLayer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bench besnet --baseline-property: two nets stepping in turn, the baseline built under the property. */
class AlternatingStepsTest {

    @Test
    void theTwoNetsStepInTurnWithTheOrderAlternatingFromPairToPair() {
        List<String> order = new ArrayList<>();
        ComputationGraph a = tiny(order, "a");
        ComputationGraph b = tiny(order, "b");
        INDArray[] x = {Nd4j.rand(DataType.FLOAT, 4, 3)};
        INDArray[] y = {Nd4j.eye(4).getColumns(0, 1).castTo(DataType.FLOAT)};
        AlternatingSteps.Result r = AlternatingSteps.run(a, b, step -> new INDArray[][]{x, y}, 1, 4);
        // warm-up a b, then pairs: a b | b a | a b | b a, so a drifting machine weighs on both alike
        assertEquals(List.of("a", "b", "a", "b", "b", "a", "a", "b", "b", "a"), order);
        assertEquals(4, r.first().length);
        assertEquals(4, r.second().length);
        double[] ratios = r.ratios();
        for (int i = 0; i < 4; i++) {
            assertTrue(r.first()[i] > 0 && r.second()[i] > 0);
            assertEquals(r.second()[i] / r.first()[i], ratios[i], 1e-12);
        }
        assertEquals(AlternatingSteps.median(ratios), r.medianRatio());
        assertEquals(2.5, AlternatingSteps.median(new double[]{4, 1, 2, 3}));
    }

    @Test
    void theBaselineIsBuiltUnderThePropertyWhichIsThenPutBack() {
        String key = FrameWiseLayer.NATIVE_OPS;
        assertNull(System.getProperty(key));
        var stock = AlternatingSteps.PropertySetting.parse(key + "=none");
        BesNetSpec spec = BesNetSpec.tiny(4, 4, 32);
        ComputationGraph baseline = stock.buildWith(() -> BesNet.build(spec));
        assertNull(System.getProperty(key), "cleared again when it was not set before");
        ComputationGraph usual = BesNet.build(spec);
        assertEquals(0, nativeLayers(baseline), "the baseline has DL4J's stock frame-wise layers");
        assertTrue(nativeLayers(usual) > 0);

        System.setProperty(key, "all");
        try {
            stock.buildWith(() -> BesNet.build(spec));
            assertEquals("all", System.getProperty(key), "an earlier value comes back");
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void aSettingIsKeyEqualsValue() {
        var s = AlternatingSteps.PropertySetting.parse(" trainyard.vector = off ");
        assertEquals("trainyard.vector", s.key());
        assertEquals("off", s.value());
        assertEquals("trainyard.vector=off", s.toString());
        assertEquals("", AlternatingSteps.PropertySetting.parse("k=").value());
        for (String bad : new String[]{"novalue", "=x", ""}) {
            assertThrows(IllegalArgumentException.class, () -> AlternatingSteps.PropertySetting.parse(bad), bad);
        }
    }

    private static int nativeLayers(ComputationGraph net) {
        int n = 0;
        for (GraphVertex v : net.getVertices()) {
            if (v.hasLayer() && v.getLayer() instanceof FrameWiseLayer f && f.usesNativeOps()) {
                n++;
            }
        }
        return n;
    }

    private static ComputationGraph tiny(List<String> order, String name) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in")
                .addLayer("h", new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "h")
                .setOutputs("out").build());
        g.init();
        g.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                order.add(name);
            }
        });
        return g;
    }
}
