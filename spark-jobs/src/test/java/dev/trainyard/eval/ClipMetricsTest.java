package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Clip and video metrics on hand-made score tables. */
class ClipMetricsTest {
    private static final List<String> SIX = List.of("a", "b", "c", "d", "e", "f");

    private static ClipMetrics.ClipScore clip(String video, int label, float... p) {
        return new ClipMetrics.ClipScore(video, label, p);
    }

    @Test
    void topOneAndTopFiveCountTheLabelsRank() {
        JsonNode m = ClipMetrics.compute(List.of(
                clip("v1", 0, .5f, .1f, .1f, .1f, .1f, .1f),      // rank 0
                clip("v2", 1, .3f, .2f, .1f, .1f, .1f, .2f),      // rank 2 (0.3 and a tie at 0.2 above it)
                clip("v3", 2, .30f, .25f, .02f, .2f, .13f, .1f)), // rank 5: not in the top 5 of 6
                SIX);
        assertEquals(1.0 / 3, m.path("clip_level").path("top1").asDouble(), 1e-12);
        assertEquals(2.0 / 3, m.path("clip_level").path("top5").asDouble(), 1e-12);
        assertEquals(1.0 / 6, m.path("baseline").path("chance_top1").asDouble(), 1e-12);
    }

    @Test
    void aVideoAveragesItsClipsBeforeRanking() {
        // each clip alone is wrong for one of them, the average is right
        JsonNode m = ClipMetrics.compute(List.of(
                clip("v", 1, .6f, .4f, 0, 0, 0, 0),
                clip("v", 1, .1f, .9f, 0, 0, 0, 0),
                clip("w", 2, .0f, .0f, .2f, .8f, 0, 0)), SIX);
        assertEquals(1.0 / 3, m.path("clip_level").path("top1").asDouble(), 1e-12);
        assertEquals(0.5, m.path("video_level").path("top1").asDouble(), 1e-12);
        assertEquals(2, m.path("video_level").path("videos").asInt());
        assertEquals(1.5, m.path("video_level").path("mean_clips_per_video").asDouble(), 1e-12);
        JsonNode perClass = m.path("per_class");
        assertEquals(2, perClass.size(), "only classes with videos");
        assertEquals("b", perClass.get(0).path("class").asText());
        assertEquals(1.0, perClass.get(0).path("top1").asDouble());
        assertEquals(0.0, perClass.get(1).path("top1").asDouble());
        // confusion over the classes present (b, c, and d which was predicted): row c has its video under d
        assertEquals("[1,2,3]", m.path("confusion").path("classes").toString());
        assertEquals("[[1,0,0],[0,0,1],[0,0,0]]", m.path("confusion").path("matrix").toString());
    }

    @Test
    void inconsistentInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClipMetrics.compute(List.of(clip("v", 0, 1, 0)), SIX));
        assertThrows(IllegalArgumentException.class, () -> ClipMetrics.compute(List.of(
                clip("v", 0, 1, 0, 0, 0, 0, 0), clip("v", 1, 1, 0, 0, 0, 0, 0)), SIX));
    }
}
