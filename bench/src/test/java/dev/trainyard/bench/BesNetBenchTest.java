package dev.trainyard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's per-layer timings feed BesNet's own layers the layout they take. */
class BesNetBenchTest {

    /** A layer fed the wrong layout fails, and the bench records the failure instead of a time: none of ours may. */
    @Test
    void besNetsOwnLayersAreTimedWithoutErrors() {
        ArrayNode layers = BesNetBench.layerTimings(8, 6, 100.0);
        assertEquals(6, layers.size());
        int ours = 0;
        for (JsonNode l : layers) {
            if (l.path("layer").asText().contains("stock")) {
                continue;  // DL4J's Convolution3D: its dilated path fails on the oneDNN build (STACK.md)
            }
            assertFalse(l.has("error"), l.toString());
            assertTrue(l.path("gflops").asDouble() > 0, l.toString());
            ours++;
        }
        assertEquals(4, ours, "the frame-wise 1x3x3 and the three temporal 3x1x1 layers");
    }
}
