package dev.trainyard.zoo.ensemble;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The graph a trainer fits and the layer stack FGSM and the ensemble use are one network over one parameter array. */
class TrainableConvNetTest {

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 1, 8, 8);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 6, 3);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        return new DataSet(x, y);
    }

    @Test
    void graphAndLayerStackGiveTheSameOutputsBeforeAndAfterTheGraphTrains() {
        ConvNetSpec spec = new ConvNetSpec(8, 8, 1, 3, List.of(4), 8, 0, 0, 1e-2, 5);
        ConvNetSpec.Trainable t = spec.buildTrainable();
        DataSet b = batch(1);
        assertArrayEquals(spec.build().params().toFloatVector(), t.layers().params().toFloatVector(),
                "initialised as build() initialises: the same seed gives the same weights");
        assertArrayEquals(t.layers().output(b.getFeatures()).reshape(-1).toFloatVector(), t.graph().outputSingle(b.getFeatures()).reshape(-1).toFloatVector(), 1e-6f);

        INDArray before = t.layers().params().dup();
        for (int i = 0; i < 3; i++) {
            t.graph().fit(b);
        }
        assertFalse(before.equalsWithEps(t.layers().params(), 1e-7), "fitting the graph moves the layer stack's weights");
        assertEquals(t.graph().params(), t.layers().params());
        assertArrayEquals(t.layers().output(b.getFeatures()).reshape(-1).toFloatVector(), t.graph().outputSingle(b.getFeatures()).reshape(-1).toFloatVector(), 1e-6f);
    }
}
