package dev.trainyard.zoo.besnet;

import dev.trainyard.zoo.video.TemporalPadding;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inflating DL4J's zoo ResNet50 (random weights: nothing can be downloaded here) into BesNet-50.
 * The 2D network's head is global average pooling (the standard ResNet-50 head; DL4J's zoo builder
 * has a 3 x 3 max pool there), so on a static clip both heads see the same features.
 */
class BesNetInflationTest {
    private static final int CLASSES = 10;
    private static final int SIZE = 64;
    private static ComputationGraph resnet;

    @BeforeAll
    static void randomResNet50SavedAndReloaded(@TempDir Path dir) throws Exception {
        ComputationGraphConfiguration.GraphBuilder b = ResNet50.builder().numClasses(CLASSES).seed(3)
                .inputShape(new int[]{3, SIZE, SIZE}).weightInit(new WeightInitRelu()).build().graphBuilder();
        b.removeVertex("avgpool", false);
        b.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "res5c_branch");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        // non-trivial batch normalisation statistics, so a wrongly mapped one shows
        for (Layer l : g.getLayers()) {
            if (l.paramTable().containsKey("log10stdev")) {
                l.getParam("mean").assign(Nd4j.rand(l.getParam("mean").shape()).mul(0.2));
                l.getParam("log10stdev").assign(Nd4j.rand(l.getParam("log10stdev").shape()).mul(0.3));
                l.getParam("gamma").assign(Nd4j.rand(l.getParam("gamma").shape()).add(0.5));
            }
        }
        File f = dir.resolve("resnet50.zip").toFile();
        ModelSerializer.writeModel(g, f, false);
        resnet = ModelSerializer.restoreComputationGraph(f, false);
    }

    private static BesNetInflation.Result inflated(TemporalPadding padding, int frames) {
        BesNetSpec base = new BesNetSpec(50, 1.0, CLASSES, frames, SIZE, SIZE, new int[]{1, 2}, padding,
                BesNetSpec.Order.RELU_BN, 1.0, 1, 0, 1e-3, 0, 3);
        return BesNetInflation.inflate(resnet, BesNetInflation.specFor(resnet, base));
    }

    @Test
    void everyResNet50ParameterIsUsedAndNothingIsLeftOrMismatched() {
        BesNetInflation.Report r = inflated(TemporalPadding.REPLICATE, 4).report();
        assertTrue(r.complete(), "unused " + r.unused() + ", mismatched " + r.mismatched() + ", missing " + r.missing());
        assertEquals(resnet.paramTable().size(), r.used().size());
        long inflatedKernels = r.used().stream().filter(m -> m.rule().equals("inflate_time_x3")).count();
        assertEquals(16 + 4 + 16, inflatedKernels, "two 1x1 per bottleneck (16) and four projection shortcuts");
    }

    @Test
    void aStaticClipThroughInflatedBesNetGivesTheTwoDimensionalOutputAtEveryFrame() {
        int frames = 4;
        BesNetInflation.Result r = inflated(TemporalPadding.REPLICATE, frames);
        assertEquals(2, r.spec().firstStageStride(), "DL4J's zoo ResNet50 strides stage 2; the inflated net must too");
        INDArray frame = Nd4j.rand(DataType.FLOAT, 2, 3, SIZE, SIZE).sub(0.5);
        INDArray clip = Nd4j.createUninitialized(DataType.FLOAT, 2, 3, frames, SIZE, SIZE);
        for (int t = 0; t < frames; t++) {
            clip.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(frame);
        }
        var twoD = resnet.feedForward(frame, false);
        var threeD = r.network().feedForward(new INDArray[]{clip}, false, false);
        INDArray features2d = twoD.get("avgpool");
        INDArray features3d = threeD.get(BesNet.POOL);
        double scale = Math.max(1.0, features2d.amaxNumber().doubleValue());
        assertTrue(features2d.equalsWithEps(features3d, 1e-4 * scale),
                "pooled features differ by " + features2d.sub(features3d).amaxNumber() + " (scale " + scale + ")");
        // and frame by frame at the last stage, every frame (replicate padding: borders included)
        INDArray last2d = twoD.get("res5c_branch");
        INDArray last3d = threeD.get("res5c_branch");
        for (int t = 0; t < frames; t++) {
            // BesNet's clips are channels-last [N, T, H, W, C]; the 2D net's maps NCHW
            INDArray f3 = last3d.get(NDArrayIndex.all(), NDArrayIndex.point(t)).permute(0, 3, 1, 2);
            assertTrue(last2d.equalsWithEps(f3, 1e-4 * Math.max(1.0, last2d.amaxNumber().doubleValue())), "frame " + t);
        }
        INDArray logits2d = twoD.get("output");
        INDArray logits3d = threeD.get(BesNet.OUTPUT);
        assertTrue(logits2d.equalsWithEps(logits3d, 1e-4), "class probabilities: " + logits2d + " vs " + logits3d);
    }

    /**
     * A Keras HDF5 ResNet50 (keras-applications names, 1/16 width, random weights; written by
     * src/test/resources/keras/make_tiny_resnet50.py) goes through DL4J's Keras import and the same
     * inflation: every Keras parameter is used, the Keras names of the stem and classifier map,
     * batch-norm variances become log10 standard deviations, and each 3x1x1 tap is the Keras 1x1
     * kernel over 3. (Keras pads before the stem's max pool and BesNet does not, so outputs are not
     * compared here; the DL4J-zoo test above compares them.)
     */
    @Test
    void aKerasHdf5ResNet50InflatesThroughDl4jsKerasImport() throws Exception {
        java.net.URL h5 = getClass().getResource("/keras/tiny_resnet50.h5");
        ComputationGraph keras = ResNetSources.load(java.nio.file.Path.of(h5.toURI()).toString());
        BesNetSpec base = new BesNetSpec(50, 1.0 / 16, 10, 4, SIZE, SIZE, new int[]{1, 2}, TemporalPadding.REPLICATE,
                BesNetSpec.Order.RELU_BN, 1.0, 1, 0, 1e-3, 0, 3);
        assertEquals(10, BesNetInflation.sourceClasses(keras));
        BesNetInflation.Result r = BesNetInflation.inflate(keras, BesNetInflation.specFor(keras, base));
        BesNetInflation.Report rep = r.report();
        assertTrue(rep.complete(), "unused " + rep.unused() + ", mismatched " + rep.mismatched() + ", missing " + rep.missing());
        assertEquals(1, r.spec().firstStageStride(), "Keras ResNet50 does not stride stage 2");
        assertEquals(keras.numParams(), r.network().numParams() - 2 * r.report().used().stream()
                .filter(m -> m.rule().equals("inflate_time_x3")).mapToLong(m -> m.sourceShape()[0] * m.sourceShape()[1]).sum());

        INDArray kerasKernel = keras.getLayer("res3a_branch2a").getParam("W");
        INDArray taps = r.network().getLayer("res3a_branch2a").getParam("W");
        long out = kerasKernel.size(0);
        for (int k = 0; k < 3; k++) {
            INDArray tap = taps.get(NDArrayIndex.interval(k * out, (k + 1) * out), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            assertTrue(tap.equalsWithEps(kerasKernel.div(3), 1e-7), "tap " + k);
        }
        INDArray var = keras.getLayer("bn_conv1").getParam("var");
        INDArray log10std = r.network().getLayer("stem-batch1").getParam("log10stdev");
        assertTrue(log10std.equalsWithEps(org.nd4j.linalg.ops.transforms.Transforms.log(
                org.nd4j.linalg.ops.transforms.Transforms.sqrt(var.add(0.001), true), 10.0, false).reshape(log10std.shape()), 1e-6),
                "Keras moving variance (epsilon 0.001) as DL4J's log10 std");
        assertTrue(keras.getLayer("fc1000").getParam("W").equalsWithEps(r.network().getLayer(BesNet.OUTPUT).getParam("W"), 0));
    }
}
