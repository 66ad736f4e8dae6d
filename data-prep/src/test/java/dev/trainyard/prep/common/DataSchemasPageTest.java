package dev.trainyard.prep.common;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/data-schemas.md is what the schema classes say: a renamed or added column fails here until the page is regenerated. */
class DataSchemasPageTest {
    private static final Path PAGE = Path.of("..", "docs", "data-schemas.md");

    @Test
    void theCommittedPageMatchesTheSchemaClasses() throws Exception {
        String rendered = DataSchemasPage.render();
        Path fresh = Path.of("target", "data-schemas.md");
        Files.writeString(fresh, rendered);
        assertTrue(Files.exists(PAGE), PAGE.toAbsolutePath() + " is missing: cp data-prep/" + fresh + " docs/data-schemas.md");
        assertEquals(rendered, Files.readString(PAGE),
                "docs/data-schemas.md is stale; regenerate it from the repository root: cp data-prep/" + fresh + " docs/data-schemas.md");
    }

    @Test
    void everyColumnOfEveryTableIsDescribed() {
        for (DataSchemasPage.Table t : DataSchemasPage.TABLES) {
            assertEquals(java.util.Set.of(t.struct().fieldNames()), t.descriptions().keySet(), t.title());
        }
    }
}
