package dev.trainyard.zoo.video;

import dev.trainyard.zoo.ensemble.ConvNetSpec;
import dev.trainyard.zoo.layers.KeptForBackward;
import dev.trainyard.zoo.layers.NativeConvolutionLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a training forward pass keeps for its backward pass is used only when it is still right. */
class KeptForBackwardTest {

    @Test
    void aKeptArrayIsTakenOnceAndOnlyForTheSameInput() {
        INDArray clip = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5, 5);
        INDArray kept = Nd4j.rand(DataType.FLOAT, 3);
        KeptForBackward<INDArray> k = new KeptForBackward<>();
        k.keep(kept, kept, ClipShapes.toFrames(clip));
        assertSame(kept, k.take(ClipShapes.toFrames(clip)), "another reshape view of the same clip is the same input");
        assertNull(k.take(ClipShapes.toFrames(clip)), "taken once");
        k.keep(kept, kept, ClipShapes.toFrames(clip));
        assertNull(k.take(ClipShapes.toFrames(clip.dup())), "equal values in other memory are another input");
    }

    @Test
    void anArrayFromAClosedWorkspaceIsNotTaken() {
        INDArray source = Nd4j.rand(DataType.FLOAT, 4, 4);
        KeptForBackward<INDArray> k = new KeptForBackward<>();
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().build();
        try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "KEPT_FOR_BACKWARD_TEST")) {
            INDArray inWorkspace = Nd4j.rand(DataType.FLOAT, 4);
            k.keep(inWorkspace, inWorkspace, source);
        }
        assertNull(k.take(source));
    }

    /**
     * The temporal layer's backward pass gives the same gradients from its kept rows and from rows
     * made again. At stride 2 the rows are a copy of the sampled pixels, kept; at stride 1 they are
     * the channels-last input itself (as in DL4J's own layers, an input must not change between the
     * passes), so only the first half applies.
     */
    @Test
    void temporalConvolutionGradientsAreTheSameWithAndWithoutTheKeptRows() {
        for (int stride : new int[]{1, 2}) {
            ComputationGraph g = TemporalConvolutionTest.net(DataType.FLOAT, new int[]{2}, TemporalPadding.ZERO, stride, 3, 5, 6);
            g.initGradientsView();
            INDArray clip = Nd4j.rand(DataType.FLOAT, 2, 5, 6, 6, 3);
            if (stride == 1) {
                keptAndAfterInputChange(g.getLayer("tconv"), clip);
            } else {
                assertSameGradients(g.getLayer("tconv"), clip);
            }
        }
    }

    /** Likewise batch norm's kept x - mean. */
    @Test
    void batchNormGradientsAreTheSameWithAndWithoutTheKeptCentredInput() {
        System.setProperty(FrameWiseLayer.NATIVE_OPS, "all");
        try {
            ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                    .addInputs("in").setInputTypes(ClipShapes.clip(3, 6, 6, 4))
                    .addLayer("tm", new TimeMajor(), "in")
                    .addLayer("bn", new FrameWise(new BatchNormalization.Builder().build()), "tm")
                    .setOutputs("bn").build());
            g.init();
            g.initGradientsView();
            assertTrue(((FrameWiseLayer) g.getLayer("bn")).usesNativeOps());
            assertSameGradients(g.getLayer("bn"), Nd4j.rand(DataType.FLOAT, 2, 3, 6, 6, 4).muli(3));
        } finally {
            System.clearProperty(FrameWiseLayer.NATIVE_OPS);
        }
    }

    /**
     * Likewise the ConvNet's native convolution with its kept pre-activation z (ReLU and SELU). It
     * keeps only z: the weight gradient is always taken from the input at hand, so after an input
     * changed in place only the bias gradient (the sum of activation'(z) * epsilon) shows whether
     * the forward pass's z was used.
     */
    @Test
    void nativeConvolutionGradientsAreTheSameWithAndWithoutTheKeptPreActivation() {
        for (boolean selu : new boolean[]{false, true}) {
            MultiLayerNetwork net = new ConvNetSpec(8, 8, 2, 3, List.of(4), 6, 0, 0, 1e-3, 3, selu).build();
            net.initGradientsView();
            Layer conv = net.getLayer(0);
            assertTrue(((NativeConvolutionLayer) conv).usesNativeOps());
            INDArray[][] g = keptAndAfterInputChange(conv, Nd4j.rand(DataType.FLOAT, 2, 2, 8, 8).subi(0.5));
            assertEquals(biasGradient(conv, g[0][1]), biasGradient(conv, g[1][1]), "the bias gradient comes from the kept z");
        }
    }

    private static INDArray biasGradient(Layer conv, INDArray gradients) {
        return ConvolutionParamInitializer.getInstance().getGradientsFromFlattened(conv.conf(), gradients)
                .get(ConvolutionParamInitializer.BIAS_KEY);
    }

    /**
     * Gradients from the kept arrays equal those from arrays made again (an equal input in other
     * memory), and the kept arrays are really used: an input changed in place between the forward
     * and the backward pass still gives the forward input's gradients.
     */
    private static void assertSameGradients(Layer layer, INDArray input) {
        INDArray[][] g = keptAndAfterInputChange(layer, input);
        assertEquals(g[0][1], g[1][1], "parameter gradients come from what the forward pass kept");
        assertEquals(g[0][0], g[1][0], "input gradient comes from what the forward pass kept");
    }

    /**
     * Asserts that the gradients from kept arrays equal those from arrays made again (an equal input
     * in other memory); returns {those gradients, the gradients after the input changed in place
     * between the forward and the backward pass}, for the caller to compare.
     */
    private static INDArray[][] keptAndAfterInputChange(Layer layer, INDArray input) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(input, mgr);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, layer.activate(true, mgr).shape()).subi(0.5);
        INDArray[] kept = gradients(layer, input, input, () -> { }, epsilon, mgr);
        INDArray[] madeAgain = gradients(layer, input, input.dup(), () -> { }, epsilon, mgr);
        assertEquals(kept[0], madeAgain[0], "input gradient");
        assertEquals(kept[1], madeAgain[1], "parameter gradients");

        INDArray changing = input.dup();
        INDArray[] afterChange = gradients(layer, changing, changing,
                () -> changing.addi(Nd4j.rand(DataType.FLOAT, changing.shape())), epsilon, mgr);
        return new INDArray[][]{kept, afterChange};
    }

    /** {input gradient, parameter gradients} of a forward pass on one input and a backward pass on another. */
    private static INDArray[] gradients(Layer layer, INDArray forwardInput, INDArray backwardInput, Runnable between,
                                        INDArray epsilon, LayerWorkspaceMgr mgr) {
        layer.setInput(forwardInput, mgr);
        layer.activate(true, mgr);
        between.run();
        layer.setInput(backwardInput, mgr);
        Pair<?, INDArray> p = layer.backpropGradient(epsilon, mgr);
        return new INDArray[]{p.getSecond().dup(), layer.getGradientsViewArray().dup()};
    }
}
