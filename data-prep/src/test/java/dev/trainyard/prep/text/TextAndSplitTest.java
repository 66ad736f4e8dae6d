package dev.trainyard.prep.text;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextAndSplitTest {

    @Test
    void normaliserLowercasesFoldsWidthAndKeepsContractions() {
        assertEquals("what's the best way", TextNormalizer.normalize("  What’s   the ｂest\tway "), "NFKC folds the full-width b");
        assertEquals(List.of("what's", "the", "best", "e-mail", "2017"),
                TextNormalizer.tokenize(TextNormalizer.normalize("What’s the BEST e-mail?! (2017)")));
    }

    @Test
    void splitIsAFunctionOfIdAndSeedOnlyAndFollowsTheFractions() {
        SplitAssigner a = new SplitAssigner(new SplitFractions(0.8, 0.1, 0.1), 7);
        SplitAssigner again = new SplitAssigner(new SplitFractions(0.8, 0.1, 0.1), 7);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20000; i++) {
            String s = a.assign("id" + i);
            assertEquals(s, again.assign("id" + i));
            counts.merge(s, 1, Integer::sum);
        }
        assertEquals(0.8, counts.get("train") / 20000.0, 0.015);
        assertEquals(0.1, counts.get("dev") / 20000.0, 0.01);
        SplitAssigner other = new SplitAssigner(new SplitFractions(0.8, 0.1, 0.1), 8);
        long moved = java.util.stream.IntStream.range(0, 1000).filter(i -> !other.assign("id" + i).equals(a.assign("id" + i))).count();
        assertNotEquals(0, moved, "another seed gives another split");
    }

    @Test
    void splitFractionsParseAndValidate() {
        assertEquals(SplitFractions.ALL_TEST, SplitFractions.parse("test"));
        assertEquals(new SplitFractions(0.7, 0.2, 0.1), SplitFractions.parse("0.7,0.2,0.1"));
        assertThrows(IllegalArgumentException.class, () -> SplitFractions.parse("0.7,0.2"));
        assertThrows(IllegalArgumentException.class, () -> SplitFractions.parse("0.7,0.2,0.2"));
    }

    @Test
    void weightedMeanIsTheIdfWeightedAverageOfKnownWords() {
        Map<String, Integer> ids = Map.of("cat", 2, "dog", 3, "rare", 4);
        float[] idf = {0, 0, 1f, 1f, 3f};
        float[][] vec = {null, null, {1, 0}, {0, 1}, null};
        FittedText t = new FittedText(ids, idf, vec, 2);
        assertArrayEquals(new int[]{2, 3, 1}, t.tokenIds(List.of("cat", "dog", "unknown")));
        assertArrayEquals(new float[]{0.5f, 0.5f}, t.weightedMean(t.tokenIds(List.of("cat", "dog", "unknown", "rare"))), 1e-6f);
        // term frequency counts: "cat cat dog" weighs cat twice
        assertArrayEquals(new float[]{2f / 3, 1f / 3}, t.weightedMean(t.tokenIds(List.of("cat", "cat", "dog"))), 1e-6f);
        assertArrayEquals(new float[]{0, 0}, t.weightedMean(t.tokenIds(List.of("nothing", "known"))));
    }
}
