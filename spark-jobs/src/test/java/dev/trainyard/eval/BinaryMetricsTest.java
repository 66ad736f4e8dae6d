package dev.trainyard.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinaryMetricsTest {

    @Test
    void aucIsOneForAPerfectRankingZeroForAReversedOneAndHalfForTies() {
        int[] y = {0, 0, 1, 1};
        assertEquals(1.0, BinaryMetrics.rocAuc(new double[]{0.1, 0.2, 0.8, 0.9}, y), 1e-12);
        assertEquals(0.0, BinaryMetrics.rocAuc(new double[]{0.9, 0.8, 0.2, 0.1}, y), 1e-12);
        assertEquals(0.5, BinaryMetrics.rocAuc(new double[]{0.5, 0.5, 0.5, 0.5}, y), 1e-12);
        assertEquals(0.75, BinaryMetrics.rocAuc(new double[]{0.1, 0.6, 0.5, 0.9}, y), 1e-12);
    }

    @Test
    void chosenThresholdIsAsGoodAsAnyOnTheDataItWasChosenOn() {
        Random r = new Random(1);
        double[] s = new double[300];
        int[] y = new int[300];
        for (int i = 0; i < s.length; i++) {
            y[i] = r.nextDouble() < 0.4 ? 1 : 0;
            s[i] = Math.round((y[i] + r.nextGaussian()) * 10) / 10.0; // ties on purpose
        }
        double t = BinaryMetrics.bestThreshold(s, y);
        double chosen = BinaryMetrics.of(s, y, t, s).accuracy();
        for (double candidate : s) {
            assertTrue(chosen >= BinaryMetrics.of(s, y, candidate, s).accuracy() - 1e-12);
            assertTrue(chosen >= BinaryMetrics.of(s, y, candidate + 1e-9, s).accuracy() - 1e-12);
        }
    }

    @Test
    void confusionMatrixPrecisionRecallAndLogLossFollowTheirDefinitions() {
        double[] s = {0.9, 0.8, 0.3, 0.2, 0.7};
        int[] y = {1, 0, 1, 0, 1};
        BinaryMetrics m = BinaryMetrics.of(s, y, 0.5, s);
        assertEquals(2, m.tp());
        assertEquals(1, m.fp());
        assertEquals(1, m.tn());
        assertEquals(1, m.fn());
        assertEquals(2.0 / 3, m.precision(), 1e-12);
        assertEquals(2.0 / 3, m.recall(), 1e-12);
        assertEquals(0.6, m.accuracy(), 1e-12);
        double ll = -(Math.log(0.9) + Math.log(0.2) + Math.log(0.3) + Math.log(0.8) + Math.log(0.7)) / 5;
        assertEquals(ll, m.logLoss(), 1e-12);
    }

    @Test
    void plattScalingRecoversTheLogisticThatGeneratedTheLabels() {
        Random r = new Random(2);
        int n = 20000;
        double[] s = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextGaussian() * 2;
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(1.5 * s[i] - 0.5))) ? 1 : 0;
        }
        PlattScaling p = PlattScaling.fit(s, y);
        assertEquals(1.5, p.a(), 0.1);
        assertEquals(-0.5, p.b(), 0.1);
    }
}
