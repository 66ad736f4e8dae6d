package dev.trainyard.ml;

import dev.trainyard.prep.text.FittedText;
import dev.trainyard.train.PairFeatures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What each model family broadcasts to score survives Kryo with registration required, as the deploy scripts run it. */
class ScoringKryoTest {
    private final dev.trainyard.testing.KryoRoundTrip kryo = new dev.trainyard.testing.KryoRoundTrip();

    private <T> T roundTrip(T value) {
        return kryo.of(value);
    }

    @Test
    void everyFamilysBroadcastRoundTrips() {
        FittedText text = new FittedText(Map.of("what", 2), new float[]{0f, 0f, 1.5f}, new float[][]{null, null, {1f, 0f}}, 2);
        SiameseModel.Scoring pairs = roundTrip(new SiameseModel.Scoring(new byte[]{1, 2, 3}, new PairFeatures(12), text, false, true,
                -0.4, 2.0, 0.1));
        assertArrayEquals(new byte[]{1, 2, 3}, pairs.network);
        assertEquals(12, pairs.features.maxTokens());
        assertEquals(-0.4, pairs.threshold);
        assertArrayEquals(new int[]{2, 1}, pairs.text.tokenIds(List.of("what", "else")));

        ImageEnsembleModel.Scoring images = roundTrip(new ImageEnsembleModel.Scoring(new byte[]{4}, 28, 28));
        assertEquals(28, images.width);

        ClipModel.Scoring clips = roundTrip(new ClipModel.Scoring(new byte[]{5},
                new ClipModel.Shape("jpeg", 8, 40, 40, new ArrayList<>(List.of("a", "b")))));
        assertEquals(List.of("a", "b"), clips.shape.classNames());
    }
}
