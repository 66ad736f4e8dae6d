package dev.trainyard.prep.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.testing.LocalSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input pair prep must not trust: bad word-vector lines, repeated pair ids, stray carriage returns, bytes that are not UTF-8. */
class PairPrepBadInputIT {
    private final SparkSession spark = LocalSpark.get();
    @TempDir
    Path tmp;

    private PairPrepConfig config(String out, Path... inputs) {
        return PairPrepConfig.defaults(java.util.Arrays.stream(inputs).map(Path::toString).toList(), PairFormat.QUORA, out)
                .withVectorSize(16);
    }

    private static void assertReconciles(JsonNode s) {
        assertEquals(s.path("rows_read").asLong(), s.path("rows_written").asLong() + s.path("rows_quarantined").asLong(),
                "rows read = written + quarantined");
    }

    /** Question pairs over a small fixed vocabulary, and a vectors file for it with filler words up to {@code lines}. */
    private Path vectorFixture(Path vectors, int lines, java.util.function.IntFunction<String> override) throws IOException {
        String[] words = {"how", "do", "i", "learn", "java", "what", "is", "the", "best", "way", "to", "cook", "rice", "why", "sky", "blue"};
        StringBuilder tsv = new StringBuilder("id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n");
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 60; i++) {
            tsv.append(i).append('\t').append(2 * i).append('\t').append(2 * i + 1);
            for (int q = 0; q < 2; q++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 6; w++) {
                    text.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
                }
                tsv.append('\t').append(text).append('?');
            }
            tsv.append('\t').append(i % 2).append('\n');
        }
        Path pairs = Files.writeString(tmp.resolve("pairs.tsv"), tsv.toString());
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            String line = override.apply(i);
            if (line == null) {
                String word = i < words.length ? words[i] : "filler" + i;
                line = word + " " + String.join(" ", java.util.Collections.nCopies(8, String.valueOf(0.01f * (i % 50 + 1))));
            }
            v.append(line).append('\n');
        }
        Files.writeString(vectors, v.toString());
        return pairs;
    }

    @Test
    void badVectorLinesAreCountedWithTheirLineAndNeverUsed() throws IOException {
        Path vectors = tmp.resolve("vectors.txt");
        String wide = "first " + String.join(" ", java.util.Collections.nCopies(50, "0.5"));
        Path pairs = vectorFixture(vectors, 400, i -> i == 0 ? wide : i == 7 ? "the NaN 0 0 0 0 0 0 0" : null);
        String out = tmp.resolve("out").toString();
        JsonNode s = PairPrepJob.run(spark, config(out, pairs).withVectors(vectors.toString()));
        assertEquals(8, s.path("fit").path("vector_dim").asInt(), "the dimension most lines have, not the first line's");
        assertEquals(2, s.path("fit").path("vectors_bad_lines").asLong());
        String examples = s.path("fit").path("vectors_bad_examples").toString();
        assertTrue(examples.contains("vectors.txt:1: 50 values") && examples.contains("vectors.txt:8: value 1 'NaN'"), examples);
        for (Row row : spark.read().parquet(out + "/v1/train").collectAsList()) {
            for (Object x : row.getList(row.fieldIndex(PairSchema.VECTOR_COLUMNS.get(0)))) {
                assertTrue(Float.isFinite((Float) x), "every written vector is finite");
            }
        }
    }

    @Test
    void moreThanOnePercentBadVectorLinesStopsTheJobNamingThem() throws IOException {
        Path vectors = tmp.resolve("vectors.txt");
        Path pairs = vectorFixture(vectors, 100, i -> i % 10 == 3 ? "w" + i + " inf 1 1 1 1 1 1 1" : i == 50 ? "x 1e39 1 1 1 1 1 1 1" : null);
        var e = assertThrows(IllegalArgumentException.class, () -> PairPrepJob.run(spark,
                config(tmp.resolve("out").toString(), pairs).withVectors(vectors.toString())));
        assertTrue(e.getMessage().contains("11 of 100") && e.getMessage().contains("vectors.txt:4: value 1 'inf'"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("out")), "a failed prep leaves no output");
    }

    @Test
    void duplicateIdsLoneCarriageReturnsAndUndecodableBytesKeepRowsAndRawBytes() throws IOException {
        Path a = tmp.resolve("a.tsv");
        byte[] latin1 = "6\t11\t12\tHow do I cook caf\u00e9 rice well?\tHow should I cook rice?\t0\n".getBytes(StandardCharsets.ISO_8859_1);
        try (var out = Files.newOutputStream(a)) {
            out.write(("id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n"
                    + "1\t1\t2\tHow do I learn Java\rquickly today?\tWhat is the fastest way to learn Java?\t1\n"
                    + "2\t3\t4\tWhy is the sky blue at noon?\tWhy is the sea blue at noon?\t0\n"
                    + "1\t5\t6\tHow do I bake bread at home?\tHow can I bake a cake at home?\t0\n").getBytes(StandardCharsets.UTF_8));
            out.write(latin1);
        }
        Path b = Files.writeString(tmp.resolve("b.tsv"), "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n"
                + "2\t7\t8\tWhat is the best way to learn Spark?\tHow do I learn Spark fast?\t1\n");
        String out = tmp.resolve("out").toString();
        JsonNode s = PairPrepJob.run(spark, config(out, a, b));
        assertReconciles(s);
        assertEquals(5, s.path("rows_read").asLong());
        assertEquals(2, s.path("rows_written").asLong(), "ids 1 and 2, each once");
        Map<String, Row> byRow = new HashMap<>();
        for (Row r : spark.read().parquet(out + "/quarantine").collectAsList()) {
            byRow.put(Path.of(r.getString(0)).getFileName() + ":" + r.getLong(1), r);
        }
        assertEquals(java.util.Set.of("a.tsv:4", "a.tsv:5", "b.tsv:2"), byRow.keySet(), "a lone CR in row 2 shifts no row number");
        assertEquals("duplicate_id", byRow.get("a.tsv:4").getString(2));
        assertTrue(byRow.get("a.tsv:4").getString(3).contains("a.tsv:2"), byRow.get("a.tsv:4").getString(3));
        assertEquals("duplicate_id", byRow.get("b.tsv:2").getString(2), "the first file's pair 2 is kept");
        Row undecodable = byRow.get("a.tsv:5");
        assertEquals("undecodable_text", undecodable.getString(2));
        assertEquals("base64:" + java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(latin1, latin1.length - 1)),
                undecodable.getString(4), "the original bytes, without the line's LF");
    }
}
