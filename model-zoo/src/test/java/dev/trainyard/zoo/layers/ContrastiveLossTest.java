package dev.trainyard.zoo.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContrastiveLossTest {
    private final ContrastiveLoss loss = new ContrastiveLoss(1.0);
    private final ActivationIdentity id = new ActivationIdentity();

    @Test
    void scoreMatchesTheFormulaForSimilarAndDissimilarPairs() {
        INDArray d = Nd4j.create(new double[]{0.5, 0.5, 1.5, 0.2}, 4, 1);
        INDArray y = Nd4j.create(new double[]{1, 0, 0, 1}, 4, 1);
        // 1: 0.25; 0: (1-0.5)^2 = 0.25; 0 beyond margin: 0; 1: 0.04
        assertEquals((0.25 + 0.25 + 0 + 0.04) / 4, loss.computeScore(y, d, id, null, true), 1e-9);
        assertEquals(0.25, loss.computeScoreArray(y, d, id, null).getDouble(1), 1e-9);
    }

    @Test
    void gradientAgreesWithFiniteDifferences() {
        Nd4j.getRandom().setSeed(3);
        INDArray d = Nd4j.rand(DataType.DOUBLE, 16, 1).muli(2.0);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 16, 1).gt(0.5).castTo(DataType.DOUBLE);
        INDArray grad = loss.computeGradient(y, d, id, null);
        double h = 1e-6;
        for (int i = 0; i < 16; i++) {
            INDArray plus = d.dup();
            plus.putScalar(i, 0, d.getDouble(i, 0) + h);
            INDArray minus = d.dup();
            minus.putScalar(i, 0, d.getDouble(i, 0) - h);
            double numeric = (loss.computeScore(y, plus, id, null, false) - loss.computeScore(y, minus, id, null, false)) / (2 * h);
            assertEquals(numeric, grad.getDouble(i, 0), 1e-5, "example " + i);
        }
    }

    @Test
    void survivesJsonAsAnyDl4jLossFunction() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        String json = mapper.writeValueAsString(loss);
        ILossFunction back = mapper.readValue(json, ILossFunction.class);
        assertEquals(loss, back);
    }
}
