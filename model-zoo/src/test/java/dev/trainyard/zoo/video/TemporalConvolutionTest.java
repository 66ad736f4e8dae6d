package dev.trainyard.zoo.video;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemporalConvolutionTest {
    private static final int CIN = 3;
    private static final int COUT = 4;

    /** TimeMajor -> TemporalConvolution -> pooling -> softmax, so the graph takes NCDHW clips and trains. */
    static ComputationGraph net(DataType type, int[] dilations, TemporalPadding padding, int stride, long seed,
                                int frames, int size) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(type).updater(type == DataType.DOUBLE ? new NoOp() : new Sgd(0.1))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs("clip").setInputTypes(ClipShapes.clip(frames, size, size, CIN))
                .addLayer("tm", new TimeMajor(), "clip")
                .addLayer("tconv", new TemporalConvolution.Builder().nOut(COUT).dilations(dilations).padding(padding)
                        .spatialStride(stride).dilationSeed(seed).biasInit(0.1).build(), "tm")
                .addLayer("pool", new SpatioTemporalPooling(), "tconv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static INDArray tconvOut(ComputationGraph g, INDArray clip, boolean train) {
        return g.feedForward(new INDArray[]{clip}, train, false).get("tconv");
    }

    /** Direct definition: y[n,t,o,h,w] = b[o] + sum_k sum_i W[k*COUT+o, i] x[n, src(t,k), i, h*s, w*s]. */
    private static double[][][][][] reference(ComputationGraph g, INDArray clipNcdhw, int d, TemporalPadding padding, int s) {
        INDArray w = g.getLayer("tconv").getParam("W");
        INDArray b = g.getLayer("tconv").getParam("b");
        int n = (int) clipNcdhw.size(0);
        int t = (int) clipNcdhw.size(2);
        int h = (int) ((clipNcdhw.size(3) - 1) / s + 1);
        int wd = (int) ((clipNcdhw.size(4) - 1) / s + 1);
        double[][][][][] y = new double[n][t][COUT][h][wd];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < t; f++) {
                for (int o = 0; o < COUT; o++) {
                    for (int yy = 0; yy < h; yy++) {
                        for (int xx = 0; xx < wd; xx++) {
                            double v = b.getDouble(0, o);
                            for (int k = 0; k < 3; k++) {
                                int src = f + (k - 1) * d;
                                if (src < 0 || src >= t) {
                                    if (padding == TemporalPadding.ZERO) {
                                        continue;
                                    }
                                    src = Math.max(0, Math.min(t - 1, src));
                                }
                                for (int c = 0; c < CIN; c++) {
                                    v += w.getDouble(k * COUT + o, c, 0, 0) * clipNcdhw.getDouble(i, c, src, yy * s, xx * s);
                                }
                            }
                            y[i][f][o][yy][xx] = v;
                        }
                    }
                }
            }
        }
        return y;
    }

    private static void assertMatches(double[][][][][] expected, INDArray actualTimeMajor) {
        for (int i = 0; i < expected.length; i++) {
            for (int f = 0; f < expected[i].length; f++) {
                for (int o = 0; o < COUT; o++) {
                    for (int yy = 0; yy < expected[i][f][o].length; yy++) {
                        for (int xx = 0; xx < expected[i][f][o][yy].length; xx++) {
                            assertEquals(expected[i][f][o][yy][xx], actualTimeMajor.getDouble(i, f, yy, xx, o), 1e-9,
                                    "n=" + i + " t=" + f + " o=" + o);
                        }
                    }
                }
            }
        }
    }

    @Test
    void fixedDilationMatchesTheDirectDefinitionForBothPaddingsAndStrides() {
        for (TemporalPadding padding : TemporalPadding.values()) {
            for (int d : new int[]{1, 2, 3, 5}) {
                for (int s : new int[]{1, 2}) {
                    ComputationGraph g = net(DataType.DOUBLE, new int[]{d}, padding, s, 7, 5, 5);
                    INDArray clip = Nd4j.rand(DataType.DOUBLE, 2, CIN, 5, 5, 5);
                    assertMatches(reference(g, clip, d, padding, s), tconvOut(g, clip, true));
                    assertMatches(reference(g, clip, d, padding, s), tconvOut(g, clip, false));
                }
            }
        }
    }

    @Test
    void inferenceAveragesTheOutputsOfEveryDilation() {
        ComputationGraph random = net(DataType.DOUBLE, new int[]{1, 2}, TemporalPadding.ZERO, 1, 3, 6, 4);
        ComputationGraph one = net(DataType.DOUBLE, new int[]{1}, TemporalPadding.ZERO, 1, 3, 6, 4);
        ComputationGraph two = net(DataType.DOUBLE, new int[]{2}, TemporalPadding.ZERO, 1, 3, 6, 4);
        one.setParams(random.params());
        two.setParams(random.params());
        INDArray clip = Nd4j.rand(DataType.DOUBLE, 2, CIN, 6, 4, 4);
        INDArray expected = tconvOut(one, clip, false).add(tconvOut(two, clip, false)).div(2);
        INDArray actual = tconvOut(random, clip, false);
        assertTrue(expected.equalsWithEps(actual, 1e-10), "inference output is the mean over dilations 1 and 2");
        assertNotEquals(tconvOut(one, clip, false), tconvOut(two, clip, false), "the dilations must differ on this clip");
    }

    @Test
    void aSeededTrainingRunDrawsBothDilationsAndRepeatsItsSequence() {
        List<Integer> first = dilationSequence(11);
        List<Integer> again = dilationSequence(11);
        List<Integer> other = dilationSequence(12);
        assertEquals(Set.of(1, 2), new HashSet<>(first), "both dilations drawn in 40 minibatches: " + first);
        assertEquals(first, again, "same seed, same sequence");
        assertNotEquals(first, other, "another seed, another sequence");
    }

    private static List<Integer> dilationSequence(long seed) {
        ComputationGraph g = net(DataType.FLOAT, new int[]{1, 2}, TemporalPadding.ZERO, 1, seed, 4, 4);
        TemporalConvolutionLayer layer = (TemporalConvolutionLayer) g.getLayer("tconv");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, CIN, 4, 4, 4);
        INDArray y = Nd4j.eye(3).getRows(0, 1).castTo(DataType.FLOAT);
        List<Integer> seq = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            seq.add(layer.nextTrainingDilation());
            g.fit(new INDArray[]{x}, new INDArray[]{y});
        }
        return seq;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            checkGradients();
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    private static void checkGradients() {
        Nd4j.getRandom().setSeed(5);
        for (TemporalPadding padding : TemporalPadding.values()) {
            for (int[] d : new int[][]{{1}, {2}, {1, 2}}) {
                ComputationGraph g = net(DataType.DOUBLE, d, padding, d.length == 2 ? 2 : 1, 21, 5, 4);
                INDArray x = Nd4j.rand(DataType.DOUBLE, 2, CIN, 5, 4, 4);
                INDArray y = Nd4j.eye(3).getRows(0, 2).castTo(DataType.DOUBLE);
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                        .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).epsilon(1e-6).maxRelError(1e-3)
                        .minAbsoluteError(1e-8));
                assertTrue(ok, "gradient check, dilations " + java.util.Arrays.toString(d) + ", " + padding);
            }
        }
    }

    /**
     * The second layer's weights and gradients sit at an offset inside the network's flat vectors,
     * where ND4J M2.1's interval views fail (the layer builds its tap views itself: RowBlock).
     */
    @Test
    void aStackOfTwoLayersMatchesFiniteDifferences() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Nd4j.getRandom().setSeed(6);
            for (TemporalPadding padding : TemporalPadding.values()) {
                ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder()
                        .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                        .graphBuilder()
                        .addInputs("clip").setInputTypes(ClipShapes.clip(6, 4, 4, CIN))
                        .addLayer("tm", new TimeMajor(), "clip")
                        .addLayer("first", new TemporalConvolution.Builder().nOut(COUT).dilations(1).padding(padding)
                                .biasInit(0.1).build(), "tm")
                        .addLayer("second", new TemporalConvolution.Builder().nOut(COUT).dilations(2).padding(padding)
                                .spatialStride(2).biasInit(0.1).build(), "first")
                        .addLayer("pool", new SpatioTemporalPooling(), "second")
                        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                                .nOut(3).build(), "pool")
                        .setOutputs("out").build());
                g.init();
                assertTrue(g.getLayer("second").getParam("W").offset() > 0, "the second layer's weights are at an offset");
                INDArray x = Nd4j.rand(DataType.DOUBLE, 2, CIN, 6, 4, 4);
                INDArray y = Nd4j.eye(3).getRows(0, 2).castTo(DataType.DOUBLE);
                assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                        .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).epsilon(1e-6).maxRelError(1e-3)
                        .minAbsoluteError(1e-8)), "gradient check of two stacked layers, " + padding);
            }
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    /** ND4J M2.1's interval views fail on arrays that are views at an offset; the layer must not care what its input is. */
    @Test
    void anInputThatIsAViewAtAnOffsetGivesTheSameOutputAndGradient() {
        for (int stride : new int[]{1, 2}) {
            ComputationGraph g = net(DataType.FLOAT, new int[]{2}, TemporalPadding.REPLICATE, stride, 4, 5, 5);
            g.initGradientsView();
            var layer = g.getLayer("tconv");
            var mgr = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
            INDArray clip = Nd4j.rand(DataType.FLOAT, 2, 5, 5, 5, CIN);
            INDArray flat = Nd4j.rand(DataType.FLOAT, 1, 100 + clip.length());
            INDArray atOffset = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(100, 100 + clip.length())).reshape('c', clip.shape());
            atOffset.assign(clip);
            INDArray[] results = new INDArray[4];
            for (int i = 0; i < 2; i++) {
                layer.setInput(i == 0 ? clip : atOffset, mgr);
                INDArray out = layer.activate(true, mgr).dup();
                INDArray gradIn = layer.backpropGradient(Nd4j.ones(DataType.FLOAT, out.shape()), mgr).getSecond().dup();
                results[2 * i] = out;
                results[2 * i + 1] = gradIn;
            }
            assertEquals(results[0], results[2], "output, stride " + stride);
            assertEquals(results[1], results[3], "input gradient, stride " + stride);
        }
    }

    @Test
    void replicatePaddingKeepsAStaticClipStaticAtEveryFrame() {
        ComputationGraph g = net(DataType.DOUBLE, new int[]{1, 2}, TemporalPadding.REPLICATE, 1, 9, 5, 4);
        INDArray frame = Nd4j.rand(DataType.DOUBLE, 1, CIN, 1, 4, 4);
        INDArray clip = Nd4j.concat(2, frame, frame, frame, frame, frame);
        INDArray out = tconvOut(g, clip, false);
        for (int t = 1; t < 5; t++) {
            assertTrue(out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t))
                    .equalsWithEps(out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0)), 1e-12),
                    "frame " + t + " equals frame 0");
        }
    }

    @Test
    void configurationSurvivesJson() {
        ComputationGraph g = net(DataType.FLOAT, new int[]{1, 2, 4}, TemporalPadding.REPLICATE, 2, 5, 4, 4);
        String json = g.getConfiguration().toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(json, back.toJson());
        TemporalConvolution c = (TemporalConvolution) ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("tconv"))
                .getLayerConf().getLayer();
        assertEquals(TemporalPadding.REPLICATE, c.getPadding());
        assertEquals(2, c.getSpatialStride());
        assertEquals(List.of(1, 2, 4), java.util.Arrays.stream(c.getDilations()).boxed().toList());
    }
}
