package dev.trainyard.train;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundLayoutTest {

    @ParameterizedTest
    @CsvSource({"1,1,1", "7,1,1", "100,2,5", "101,2,5", "9,4,3", "3,4,3"})
    void everyBatchLandsInItsRoundAndNoWorkerGetsMoreThanFPerRound(long batches, int workers, int freq) {
        RoundLayout layout = new RoundLayout(batches, workers, freq);
        Map<Integer, Integer> perPartition = new HashMap<>();
        int lastRound = -1;
        for (long k = 0; k < batches; k++) {
            int p = layout.getPartition(k);
            assertTrue(p >= 0 && p < layout.numPartitions());
            int round = p / workers;
            assertTrue(round >= lastRound, "batches are trained in order of rounds");
            assertEquals(k / ((long) workers * freq), round);
            lastRound = round;
            perPartition.merge(p, 1, Integer::sum);
        }
        perPartition.values().forEach(n -> assertTrue(n <= freq));
        assertEquals((batches + (long) workers * freq - 1) / ((long) workers * freq), layout.rounds());
    }
}
