package dev.trainyard.bench;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's minibatches: new every step, the same for the same seed and step, labels one-hot. */
class StepBatchesTest {
    private final StepBatches batches = new StepBatches(7, 3, 3, 2, 5, 4, 10);

    @Test
    void eachStepGetsItsOwnMinibatchAndTheSameStepTheSameOne() {
        INDArray[][] first = batches.apply(0);
        assertArrayEquals(new long[]{3, 3, 2, 5, 4}, first[0][0].shape());
        assertArrayEquals(new long[]{3, 10}, first[1][0].shape());
        assertEquals(first[0][0], batches.apply(0)[0][0]);
        assertEquals(first[1][0], batches.apply(0)[1][0]);
        assertNotEquals(first[0][0], batches.apply(1)[0][0]);
        assertNotEquals(first[0][0], new StepBatches(8, 3, 3, 2, 5, 4, 10).apply(0)[0][0]);
    }

    @Test
    void clipsAreInTheUnitIntervalAndEachLabelIsOneClass() {
        for (int step = 0; step < 5; step++) {
            INDArray[][] xy = batches.apply(step);
            assertTrue(xy[0][0].minNumber().doubleValue() >= 0 && xy[0][0].maxNumber().doubleValue() < 1);
            for (int i = 0; i < 3; i++) {
                INDArray row = xy[1][0].getRow(i);
                assertEquals(1.0, row.sumNumber().doubleValue(), 0.0);
                assertEquals(1.0, row.maxNumber().doubleValue(), 0.0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new StepBatches(1, 0, 3, 2, 5, 4, 10));
    }
}
