package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnosisTest {
    @Test
    void theLargestGapIsNamedWithItsRemedy() {
        JsonNode bias = Diagnosis.of(0.15, 0.16, 0.165, 0.01, "human level");
        assertEquals("avoidable bias", bias.path("dominant").asText());
        assertEquals(0.14, bias.path("avoidable_bias").asDouble(), 1e-12);
        assertTrue(bias.path("summary").asText().contains("bigger model"), bias.path("summary").asText());

        JsonNode variance = Diagnosis.of(0.02, 0.12, 0.13, 0.01, "human level");
        assertEquals("variance", variance.path("dominant").asText());
        assertEquals(0.10, variance.path("variance").asDouble(), 1e-12);
        assertTrue(variance.path("summary").asText().contains("more training data"));

        JsonNode mismatch = Diagnosis.of(0.02, 0.03, 0.20, 0.01, "human level");
        assertEquals("dev-test mismatch", mismatch.path("dominant").asText());
        assertEquals(0.17, mismatch.path("dev_test_gap").asDouble(), 1e-12);

        JsonNode none = Diagnosis.of(0.015, 0.02, 0.022, 0.01, "best baseline");
        assertEquals("none", none.path("dominant").asText());
        assertTrue(none.path("summary").asText().contains("within a point"), none.path("summary").asText());

        // a weak reference (a majority baseline the model beats) says so instead of claiming nothing is left
        JsonNode weak = Diagnosis.of(0.247, 0.225, 0.234, 0.386, "majority-class baseline");
        assertEquals("none", weak.path("dominant").asText());
        assertTrue(weak.path("summary").asText().contains("too weak a bar"), weak.path("summary").asText());
    }

    @Test
    void withoutADevSplitTheVarianceIsMeasuredOnTheTestSplitAndTheGapIsUnknown() {
        JsonNode d = Diagnosis.of(0.01, Double.NaN, 0.09, 0.005, "--reference-error");
        assertTrue(d.path("dev_error").isNull() && d.path("dev_test_gap").isNull(), d.toString());
        assertEquals(0.08, d.path("variance").asDouble(), 1e-12);
        assertEquals("variance", d.path("dominant").asText());
        assertTrue(d.path("summary").asText().contains("no dev split"), d.path("summary").asText());
        assertEquals("avoidable bias", Diagnosis.of(0.2, Double.NaN, 0.21, 0.01, "x").path("dominant").asText());
    }

    @Test
    void theMajorityReferenceIsTheErrorOfAlwaysPredictingTheCommonestClass() {
        assertEquals(0.4, Diagnosis.majorityError(new int[]{3, 3, 3, 1, 2}), 1e-12);
        assertEquals(0.0, Diagnosis.majorityError(new int[]{7, 7}), 1e-12);
    }
}
