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
            INDArray f3 = last3d.get(NDArrayIndex.all(), NDArrayIndex.point(t));
            assertTrue(last2d.equalsWithEps(f3, 1e-4 * Math.max(1.0, last2d.amaxNumber().doubleValue())), "frame " + t);
        }
        INDArray logits2d = twoD.get("output");
        INDArray logits3d = threeD.get(BesNet.OUTPUT);
        assertTrue(logits2d.equalsWithEps(logits3d, 1e-4), "class probabilities: " + logits2d + " vs " + logits3d);
    }
}
