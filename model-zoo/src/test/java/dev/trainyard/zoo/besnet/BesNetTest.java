package dev.trainyard.zoo.besnet;

import dev.trainyard.zoo.video.TemporalPadding;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BesNetTest {

    private static INDArray clips(int n, int frames, int size) {
        return Nd4j.rand(DataType.FLOAT, n, 3, frames, size, size);
    }

    @Test
    void everyStageKeepsTheClipLengthAndOneModelTakesAnyLength() {
        for (int depth : new int[]{18, 50}) {
            BesNetSpec spec = new BesNetSpec(depth, 0.125, 5, 8, 64, 64, new int[]{1, 2}, TemporalPadding.ZERO,
                    BesNetSpec.Order.RELU_BN, 1.0, 1, 0.0, 1e-3, 0, 1);
            ComputationGraph net = BesNet.build(spec);
            for (int k : new int[]{4, 8, 16, 32}) {
                Map<String, INDArray> acts = net.feedForward(new INDArray[]{clips(2, k, 64)}, false, false);
                for (String stageOut : new String[]{"stem-maxpool1", "res2a_branch", "res3a_branch", "res4a_branch", "res5b_branch"}) {
                    assertEquals(k, acts.get(stageOut).size(1), "depth " + depth + ", K=" + k + ": frames after " + stageOut);
                }
                assertEquals(15, acts.get("stem-maxpool1").size(3), "spatial size still shrinks as in ResNet: 64 -> 32 -> 15");
                assertEquals(2, acts.get("res5b_branch").size(3));
                assertArrayEquals(new long[]{2, 5}, acts.get(BesNet.OUTPUT).shape(), "K=" + k);
            }
        }
    }

    /**
     * Hand count of BesNet-50, 400 classes (Kinetics-400), conv biases as DL4J's zoo ResNet50,
     * 4 values per batch-normalised channel (gamma, beta, running mean, running log10 std).
     */
    @Test
    void besnet50HasTheHandCountedNumberOfParameters() {
        long stem = 7 * 7 * 3 * 64 + 64 + 4 * 64;
        long total = stem;
        int[] widths = {64, 128, 256, 512};
        int[] blocks = {3, 4, 6, 3};
        long in = 64;
        for (int s = 0; s < 4; s++) {
            long w = widths[s];
            long out = 4 * w;
            for (int b = 0; b < blocks[s]; b++) {
                long branch = (3 * in * w + w + 4 * w)       // 3x1x1, in -> w
                        + (9 * w * w + w + 4 * w)            // 1x3x3, w -> w
                        + (3 * w * out + out + 4 * out);     // 3x1x1, w -> 4w
                long shortcut = b == 0 ? 3 * in * out + out + 4 * out : 0;
                total += branch + shortcut;
                in = out;
            }
        }
        total += 2048 * 400 + 400;
        assertEquals(total, countParameters(BesNet.configuration(BesNetSpec.defaults(400))));
        // Independently: Keras ResNet-50 has 25,636,712 parameters (1000 classes); swap the classifier
        // for 400 classes and add two more taps to each of its 12,128,256 1x1 kernel weights.
        assertEquals(25_636_712L - (2048 * 1000 + 1000) + (2048 * 400 + 400) + 2 * 12_128_256L, total);
        assertEquals(48_663_824L, total);
    }

    private static long countParameters(ComputationGraphConfiguration conf) {
        long n = 0;
        for (var v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                Layer l = lv.getLayerConf().getLayer();
                n += l.initializer().numParams(l);
            }
        }
        return n;
    }

    @Test
    void globalSettingsReachTheLayersInsideFrameWise() {
        ComputationGraphConfiguration conf = BesNet.configuration(BesNetSpec.tiny(3, 4, 64));
        Layer stem = ((dev.trainyard.zoo.video.FrameWise) ((LayerVertex) conf.getVertices().get("stem-cnn1")).getLayerConf().getLayer()).getUnderlying();
        assertInstanceOf(Adam.class, ((BaseLayer) stem).getIUpdater());
        Layer temporal = ((LayerVertex) conf.getVertices().get("res2a_branch2b")).getLayerConf().getLayer();
        assertInstanceOf(Adam.class, ((BaseLayer) temporal).getIUpdater());
    }

    @Test
    void aSavedModelReloadsWithPlainDl4jAndScoresTheSame(@TempDir Path dir) throws Exception {
        ComputationGraph net = BesNet.build(BesNetSpec.tiny(4, 4, 64).withPadding(TemporalPadding.REPLICATE));
        INDArray x = clips(2, 6, 64);
        net.fit(new INDArray[]{x}, new INDArray[]{Nd4j.eye(4).getRows(0, 3)});
        File f = dir.resolve("besnet.zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(f, true);
        assertEquals(net.getConfiguration().toJson(), back.getConfiguration().toJson());
        assertTrue(net.outputSingle(x).equalsWithEps(back.outputSingle(x), 1e-6));
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
    }

    /**
     * Clips are channels-last inside the net. A configuration saved with NCHW frame-wise layers
     * (the earlier layout) loads with them NHWC, as the clips now are, and computes the
     * same function (same parameters, same output).
     */
    @Test
    void aConfigurationSavedWithNchwFramesLoadsWithNhwcFramesAndTheSameOutput() {
        ComputationGraph net = BesNet.build(BesNetSpec.tiny(4, 4, 64));
        String json = net.getConfiguration().toJson();
        assertTrue(json.contains("\"NHWC\""), "the frame-wise layers are saved NHWC");
        ComputationGraphConfiguration old = ComputationGraphConfiguration.fromJson(json.replace("\"NHWC\"", "\"NCHW\""));
        for (var v : old.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof dev.trainyard.zoo.video.FrameWise fw) {
                assertFalse(frameFormat(fw.getUnderlying()) == org.deeplearning4j.nn.conf.CNN2DFormat.NCHW, lv.getLayerConf().getLayer().getLayerName() + " loads NCHW");
            }
        }
        ComputationGraph back = new ComputationGraph(old);
        back.init(net.params().dup(), false);
        INDArray x = clips(2, 6, 64);
        assertTrue(net.outputSingle(x).equalsWithEps(back.outputSingle(x), 1e-6));
    }

    private static org.deeplearning4j.nn.conf.CNN2DFormat frameFormat(Layer l) {
        if (l instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
            return c.getCnn2dDataFormat();
        } else if (l instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization b) {
            return b.getCnn2DFormat();
        } else if (l instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer p) {
            return p.getCnn2dDataFormat();
        } else if (l instanceof org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer z) {
            return z.getDataFormat();
        }
        return null;
    }

    @Test
    void badSpecsAreRefusedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BesNetSpec(26, 1, 5, 8, 112, 112, new int[]{1, 2},
                TemporalPadding.ZERO, BesNetSpec.Order.RELU_BN, 1, 1, 0, 1e-3, 0, 1));
        assertTrue(e.getMessage().contains("18, 34, 50, 101"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BesNetSpec.tiny(5, 8, 112).withDilations(0, 2));
    }
}
