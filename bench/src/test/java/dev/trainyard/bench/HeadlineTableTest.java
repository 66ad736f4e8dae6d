package dev.trainyard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's headline table is what the last `trainyard bench headline` measured: edited by hand, it fails here. */
class HeadlineTableTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path RESULTS = Path.of("..", "docs", "headline.json");

    @Test
    void theReadmeTableIsRenderedFromTheCommittedResults() throws Exception {
        assertTrue(Files.exists(RESULTS), RESULTS + " is missing: run ./trainyard bench headline");
        JsonNode headline = Json.MAPPER.readTree(RESULTS.toFile());
        String readme = Files.readString(README);
        assertEquals(HeadlineBench.table(headline), HeadlineBench.tableIn(readme),
                "README.md's headline table differs from docs/headline.json; rerun ./trainyard bench headline");
    }

    @Test
    void everyRowNamesItsBaselineAndEitherAResultOrWhyNot() throws Exception {
        JsonNode headline = Json.MAPPER.readTree(RESULTS.toFile());
        assertTrue(headline.path("rows").size() >= 2, headline.toString());
        for (JsonNode r : headline.path("rows")) {
            assertTrue(!r.path("baseline").asText().isEmpty(), r.toString());
            assertTrue(r.has("value") ^ r.has("not_run"), "a value or the reason there is none: " + r);
        }
    }

    @Test
    void rewritingTheTableKeepsTheRestOfTheReadme() {
        String readme = "intro\n" + HeadlineBench.TABLE_START + "\nold\n" + HeadlineBench.TABLE_END + "\nrest\n";
        String table = HeadlineBench.TABLE_START + "\nnew\n" + HeadlineBench.TABLE_END;
        assertEquals("intro\n" + table + "\nrest\n", HeadlineBench.withTable(readme, table));
    }
}
