package dev.trainyard.zoo.siamese;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiameseNetworkTest {
    private static final int DIM = 20;

    private static INDArray rand(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, DIM);
    }

    @ParameterizedTest
    @EnumSource(SiameseSpec.Head.class)
    void swappingTheQuestionsGivesTheSameOutputBecauseTheTowerIsShared(SiameseSpec.Head head) {
        ComputationGraph net = SiameseNetwork.build(SiameseSpec.defaults(DIM).withHead(head).withHidden(List.of(16, 16)));
        INDArray a = rand(8, 1);
        INDArray b = rand(8, 2);
        INDArray ab = net.outputSingle(false, a, b);
        INDArray ba = net.outputSingle(false, b, a);
        assertEquals(8, ab.size(0));
        assertEquals(1, ab.size(1));
        assertTrue(ab.equalsWithEps(ba, 1e-5), "output must not depend on question order");
    }

    @Test
    void identicalQuestionsAreAtDistanceZeroAndDifferentOnesAreNot() {
        ComputationGraph net = SiameseNetwork.build(SiameseSpec.defaults(DIM));
        INDArray a = rand(6, 3);
        INDArray same = net.outputSingle(false, a, a.dup());
        assertEquals(0.0, same.maxNumber().doubleValue(), 1e-3);
        INDArray diff = net.outputSingle(false, a, rand(6, 4));
        assertTrue(diff.minNumber().doubleValue() > 1e-3);
    }

    @Test
    void everySpecOptionBuildsAndTrainsOneStep() {
        SiameseSpec base = SiameseSpec.defaults(DIM).withHidden(List.of(12, 12, 12));
        for (SiameseSpec spec : List.of(base, base.withNorm(SiameseSpec.Norm.AFTER_RELU), base.withNorm(SiameseSpec.Norm.NONE),
                base.withConcat(true), base.withDropout(0.2), base.withResidual(false),
                base.withHead(SiameseSpec.Head.FC).withConcat(true), base.withNorm(SiameseSpec.Norm.SELU).withDropout(0.1))) {
            ComputationGraph net = SiameseNetwork.build(spec);
            INDArray params = net.params().dup();
            net.fit(new MultiDataSet(new INDArray[]{rand(4, 5), rand(4, 6)},
                    new INDArray[]{Nd4j.create(new float[]{1, 0, 1, 0}, 4, 1)}));
            assertTrue(Double.isFinite(net.score()), spec.toString());
            assertTrue(!params.equalsWithEps(net.params(), 1e-9), "a step must change the parameters: " + spec);
        }
    }

    @Test
    void aSeluTowerHasNoBatchNormAndUsesSeluLecunNormalAndAlphaDropout() {
        SiameseSpec spec = SiameseSpec.defaults(DIM).withHidden(List.of(12, 12)).withNorm(SiameseSpec.Norm.SELU).withDropout(0.1);
        ComputationGraphConfiguration conf = SiameseNetwork.configuration(spec);
        for (var v : conf.getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                var layer = lv.getLayerConf().getLayer();
                assertTrue(!(layer instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization), "no batch norm: " + layer);
                if (layer.getLayerName().startsWith("dense_")) {
                    var dense = (org.deeplearning4j.nn.conf.layers.DenseLayer) layer;
                    assertTrue(dense.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationSELU, dense.getActivationFn().toString());
                    assertEquals(org.deeplearning4j.nn.weights.WeightInit.LECUN_NORMAL.getWeightInitFunction(), dense.getWeightInitFn());
                }
                if (layer.getLayerName().startsWith("drop_")) {
                    assertTrue(layer.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.AlphaDropout, layer.getIDropout().toString());
                }
            }
        }
    }

    @Test
    void configurationAndModelRoundTripThroughJsonAndZip() throws Exception {
        SiameseSpec spec = SiameseSpec.defaults(DIM).withConcat(true);
        ComputationGraphConfiguration conf = SiameseNetwork.configuration(spec);
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));

        ComputationGraph net = SiameseNetwork.build(spec);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        INDArray a = rand(3, 7);
        INDArray b = rand(3, 8);
        assertArrayEquals(net.outputSingle(false, a, b).toFloatVector(), back.outputSingle(false, a, b).toFloatVector(), 1e-6f);
    }

    @Test
    void invalidSpecsAreRefusedWithTheirReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SiameseSpec.defaults(DIM).withDropout(1.0));
        assertTrue(e.getMessage().contains("dropout"));
        assertThrows(IllegalArgumentException.class, () -> SiameseSpec.defaults(0));
        assertThrows(IllegalArgumentException.class, () -> SiameseSpec.defaults(DIM).withHidden(List.of(8, 0)));
    }
}
