package dev.trainyard.predict;

import dev.trainyard.prep.common.DataSchemasPage;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/data-schemas.md is what the schema classes say (prep's and the predictions'): a renamed or added column fails
 * here until the page is regenerated.
 */
class DataSchemasPageTest {
    private static final Path PAGE = Path.of("..", "docs", "data-schemas.md");

    @Test
    void theCommittedPageMatchesTheSchemaClasses() throws Exception {
        String rendered = DataSchemasPage.render(PredictionSchemas.TABLES);
        Path fresh = Path.of("target", "data-schemas.md");
        Files.writeString(fresh, rendered);
        assertTrue(Files.exists(PAGE), PAGE.toAbsolutePath() + " is missing: cp spark-jobs/" + fresh + " docs/data-schemas.md");
        assertEquals(rendered, Files.readString(PAGE),
                "docs/data-schemas.md is stale; regenerate it from the repository root: cp spark-jobs/" + fresh + " docs/data-schemas.md");
    }

    @Test
    void everyColumnOfEveryTableIsDescribed() {
        List<DataSchemasPage.Table> all = new java.util.ArrayList<>(DataSchemasPage.TABLES);
        all.addAll(PredictionSchemas.TABLES);
        for (DataSchemasPage.Table t : all) {
            assertEquals(java.util.Set.of(t.struct().fieldNames()), t.descriptions().keySet(), t.title());
        }
    }
}
