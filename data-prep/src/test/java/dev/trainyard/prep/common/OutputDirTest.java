package dev.trainyard.prep.common;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An output is replaced only when Trainyard wrote it, never overlaps an input, and a failed run leaves the old one. */
class OutputDirTest {
    private final Storage storage = new Storage(new Configuration());
    @TempDir
    Path tmp;

    private String write(Path out, boolean overwrite, String content) {
        return OutputDir.write(storage, out.toString(), overwrite, OutputKind.DATASET, Map.of(), dir -> {
            storage.writeText(dir + "/prep-summary.json", content);
            storage.writeText(dir + "/v1/train/part-0.parquet", content);
            return dir;
        });
    }

    @Test
    void anOutputInsideOrContainingOrEqualToAnInputIsRefusedNamingBoth() throws IOException {
        Path input = Files.writeString(Files.createDirectories(tmp.resolve("data")).resolve("pairs.tsv"), "x");
        for (String out : new String[]{tmp.resolve("data").toString(), input.toString(), input.resolve("sub").toString(),
                tmp.resolve("data/../data/").toString()}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> OutputDir.open(storage, out, true, OutputKind.DATASET, Map.of("--data", input.toString())), out);
            assertTrue(e.getMessage().contains(input.toString()) && e.getMessage().contains("--output"), e.getMessage());
        }
        assertEquals("x", Files.readString(input), "the input is untouched");
    }

    @Test
    void aSymbolicLinkToAnInputIsTheInput() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), data);
        assertThrows(IllegalArgumentException.class,
                () -> OutputDir.open(storage, link.toString(), true, OutputKind.DATASET, Map.of("--data", data.resolve("f").toString())));
    }

    @Test
    void aFolderTrainyardDidNotWriteIsNeverReplaced() throws IOException {
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("thesis.tex"), "years of work");
        var e = assertThrows(IllegalArgumentException.class, () -> write(foreign, true, "new"));
        assertTrue(e.getMessage().contains("not written by Trainyard"), e.getMessage());
        assertEquals("years of work", Files.readString(foreign.resolve("thesis.tex")));
    }

    @Test
    void aTrainyardFolderHoldingAForeignFileIsRefusedNamingTheFile() throws IOException {
        Path out = tmp.resolve("out");
        write(out, false, "old");
        Path notes = Files.writeString(out.resolve("v1/train/notes.txt"), "mine");
        var e = assertThrows(IllegalArgumentException.class, () -> write(out, true, "new"));
        assertTrue(e.getMessage().contains(notes.toString()), e.getMessage());
        assertTrue(Files.exists(notes));
    }

    @Test
    void anExistingOutputNeedsOverwriteAndIsThenReplacedWhole() throws IOException {
        Path out = tmp.resolve("out");
        write(out, false, "old");
        Files.writeString(out.resolve("v1/train/part-1.parquet"), "stale");
        assertThrows(IllegalArgumentException.class, () -> write(out, false, "new"));
        write(out, true, "new");
        assertEquals("new", Files.readString(out.resolve("prep-summary.json")));
        assertFalse(Files.exists(out.resolve("v1/train/part-1.parquet")), "nothing of the old output is left");
        assertTrue(Files.readString(out.resolve(OutputDir.MARKER)).contains("\"complete\" : true"));
        try (var siblings = Files.list(tmp)) {
            assertEquals(1, siblings.count(), "no staging or replaced folder is left beside the output");
        }
    }

    @Test
    void aFailedReplacementLeavesTheOldOutputIntact() throws IOException {
        Path out = tmp.resolve("out");
        write(out, false, "old");
        assertThrows(IllegalStateException.class, () -> OutputDir.write(storage, out.toString(), true, OutputKind.DATASET, Map.of(),
                dir -> {
                    storage.writeText(dir + "/prep-summary.json", "half");
                    throw new IllegalStateException("job failed");
                }));
        assertEquals("old", Files.readString(out.resolve("prep-summary.json")));
        try (var siblings = Files.list(tmp)) {
            assertEquals(1, siblings.count(), "the staging folder is removed");
        }
    }

    @Test
    void aHalfWrittenNewOutputCarriesTheMarkerSoItCanBeReplaced() throws IOException {
        Path out = tmp.resolve("out");
        OutputDir.open(storage, out.toString(), false, OutputKind.DATASET, Map.of());
        Files.createDirectories(out.resolve("v1/train"));
        Files.writeString(out.resolve("v1/train/part-0.parquet"), "partial");
        assertTrue(Files.readString(out.resolve(OutputDir.MARKER)).contains("\"complete\" : false"));
        write(out, true, "new");
        assertEquals("new", Files.readString(out.resolve("v1/train/part-0.parquet")));
    }
}
