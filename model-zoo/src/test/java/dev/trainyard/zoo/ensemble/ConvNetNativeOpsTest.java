package dev.trainyard.zoo.ensemble;

import dev.trainyard.zoo.layers.NativeConv2d;
import dev.trainyard.zoo.layers.NativeConvolutionLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ConvNet's native convolutions compute what DL4J's stock layers compute, forward, backward and through training. */
class ConvNetNativeOpsTest {

    @AfterEach
    void clearSwitch() {
        System.clearProperty(NativeConv2d.NATIVE_OPS);
    }

    @ParameterizedTest(name = "selu={0}")
    @ValueSource(booleans = {false, true})
    void nativeAndStockConvNetsStartEqualGiveEqualGradientsAndTrainAlike(boolean selu) throws IOException {
        // no dropout, so the two nets see the same computation
        ConvNetSpec spec = new ConvNetSpec(12, 12, 1, 4, List.of(4, 6), 8, 0, 0, 1e-2, 5, selu);
        MultiLayerNetwork fast = build(spec, true);
        MultiLayerNetwork stock = build(spec, false);
        assertEquals(2, nativeLayers(fast));
        assertEquals(0, nativeLayers(stock));
        assertEquals(stock.params(), fast.params(), "same initial parameters: the wrapper keeps the layer's configuration");

        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 1, 12, 12);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 4);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, i % 4, 1);
        }
        assertClose(stock.output(x), fast.output(x), 1e-5, "inference output");
        var stockGradients = stock.calculateGradients(x, y, null, null);
        var fastGradients = fast.calculateGradients(x, y, null, null);
        assertClose(stockGradients.getSecond(), fastGradients.getSecond(), 1e-5, "input gradient (FGSM's)");
        assertClose(stockGradients.getFirst().gradient(), fastGradients.getFirst().gradient(), 1e-4, "parameter gradients");

        for (int step = 0; step < 5; step++) {
            stock.fit(new DataSet(x, y));
            fast.fit(new DataSet(x, y));
        }
        assertClose(stock.params(), fast.params(), 1e-3, "parameters after 5 Adam steps");

        System.clearProperty(NativeConv2d.NATIVE_OPS);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(fast, bytes, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(2, nativeLayers(back), "a saved ConvNet loads with its native convolutions");
        assertEquals(fast.output(x), back.output(x));
    }

    private static MultiLayerNetwork build(ConvNetSpec spec, boolean nativeOps) {
        System.setProperty(NativeConv2d.NATIVE_OPS, nativeOps ? "auto" : "none");
        return spec.build();
    }

    private static int nativeLayers(MultiLayerNetwork net) {
        int n = 0;
        for (Layer l : net.getLayers()) {
            n += l instanceof NativeConvolutionLayer c && c.usesNativeOps() ? 1 : 0;
        }
        return n;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance * scale, what + ": max difference " + diff + " against max |value| " + scale);
    }
}
