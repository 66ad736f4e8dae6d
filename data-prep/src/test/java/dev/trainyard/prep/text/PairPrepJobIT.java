package dev.trainyard.prep.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.ParquetWriterKind;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.testing.SharedData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairPrepJobIT {
    private final SparkSession spark = LocalSpark.get();
    @TempDir
    Path tmp;

    private PairPrepConfig config(PairFormat format, String out, Path... inputs) {
        return PairPrepConfig.defaults(java.util.Arrays.stream(inputs).map(Path::toString).toList(), format, out)
                .withVectorSize(16);
    }

    private static void assertReconciles(JsonNode s) {
        assertEquals(s.path("rows_read").asLong(), s.path("rows_written").asLong() + s.path("rows_quarantined").asLong(),
                "rows read = written + quarantined");
        assertTrue(s.path("reconciled").asBoolean());
    }

    private long dataLines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).size() - 1;
    }

    @Test
    void plantedBadRowsGoToQuarantineWithTheRightReasonAndRow() throws IOException {
        Path good = tmp.resolve("pairs.tsv");
        byte[] invalidUtf8 = "7\t13\t14\tHow do I cook caf\u00e9 rice well?\tHow should I cook rice?\t0\n".getBytes(StandardCharsets.ISO_8859_1);
        try (var out = Files.newOutputStream(good)) {
            out.write(("id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n"
                    + "1\t1\t2\tHow do I learn Java quickly?\tWhat is the fastest way to learn Java?\t1\n"
                    + "2\t3\t4\tShort?\tWhat is the best way to learn Spark?\t0\n"
                    + "3\t5\t6\tHow do I learn Python quickly?\tHow can I learn piano at home?\tyes\n"
                    + "4\t7\t8\tHow do I learn chess quickly?\n"
                    + "5\t9\t10\tWhy is the sky blue at noon?\tWhy is the sea blue at noon?\t0\n").getBytes(StandardCharsets.UTF_8));
            out.write(invalidUtf8);
        }
        Path empty = Files.createFile(tmp.resolve("empty.tsv"));
        String outDir = tmp.resolve("out").toString();
        ObjectNode s = PairPrepJob.run(spark, config(PairFormat.QUORA, outDir, good, empty));

        assertReconciles(s);
        assertEquals(7, s.path("rows_read").asLong(), "6 data rows + 1 empty file");
        assertEquals(2, s.path("rows_written").asLong());
        Map<String, String> reasonByRow = new HashMap<>();
        for (Row r : spark.read().parquet(outDir + "/quarantine").collectAsList()) {
            reasonByRow.put(Path.of(r.getString(0)).getFileName() + ":" + r.getLong(1), r.getString(2));
        }
        assertEquals(Map.of(
                "pairs.tsv:3", "too_short",
                "pairs.tsv:4", "bad_label",
                "pairs.tsv:5", "wrong_field_count",
                "pairs.tsv:7", "undecodable_text",
                "empty.tsv:0", "empty_file"), reasonByRow);
        assertEquals(Json.write(s), Json.write(Json.MAPPER.readTree(tmp.resolve("out/prep-summary.json").toFile())),
                "summary file = returned summary");
    }

    @Test
    void kaggleCsvKeepsMultiLineQuotedQuestionsAndQuarantinesBrokenRecords() throws IOException {
        Path csv = tmp.resolve("train.csv");
        Files.writeString(csv, "\"id\",\"qid1\",\"qid2\",\"question1\",\"question2\",\"is_duplicate\"\n"
                + "\"0\",\"1\",\"2\",\"What is a \"\"good\"\" first\nprogramming language?\",\"Which programming language should I learn first?\",\"1\"\n"
                + "\"1\",\"3\",\"4\",\"How do I make good coffee at home?\",\"How do I make good tea at home?\",\"2\"\n"
                + "\"2\",\"5\",\"6\",\"Only five fields in this record?\",\"0\"\n"
                + "\"3\",\"7\",\"8\",\"Why do cats purr so much?\",\"Why do cats purr at night?\",\"0\"\n");
        String out = tmp.resolve("kaggle").toString();
        JsonNode s = PairPrepJob.run(spark, config(PairFormat.KAGGLE, out, csv));
        assertReconciles(s);
        assertEquals(4, s.path("rows_read").asLong(), "a quoted newline does not start a record");
        assertEquals(2, s.path("rows_written").asLong());
        assertEquals(1, s.path("quarantined_by_reason").path("bad_label").asLong());
        assertEquals(1, s.path("quarantined_by_reason").path("wrong_field_count").asLong());
        Row multi = spark.read().parquet(out + "/v1/*").filter(col("pair_id").equalTo("0")).first();
        assertEquals("what is a \"good\" first programming language?", multi.getString(multi.fieldIndex("question1")));
    }

    @Test
    void realQuoraKaggleAndMrpcSamplesParseAndReconcile() throws IOException {
        Path quora = SharedData.require("qqp/glue_qqp_format_samples/train.tsv");
        Path kaggle = SharedData.require("qqp/kaggle_train_first100.csv");
        Path mrpc = SharedData.require("mrpc/msr_paraphrase_train.txt");

        JsonNode q = PairPrepJob.run(spark, config(PairFormat.QUORA, tmp.resolve("q").toString(), quora));
        assertReconciles(q);
        assertEquals(dataLines(quora), q.path("rows_read").asLong());

        JsonNode k = PairPrepJob.run(spark, config(PairFormat.KAGGLE, tmp.resolve("k").toString(), kaggle));
        assertReconciles(k);
        assertEquals(99, k.path("rows_read").asLong(), "Kaggle sample: 99 quoted records");
        Dataset<Row> kaggleRows = spark.read().parquet(tmp.resolve("k/v1/*").toString());
        assertEquals(1, kaggleRows.filter(col("pair_id").equalTo("0")).count(), "ids come from the quoted id column");
        Row quoted = kaggleRows.filter(col("pair_id").equalTo("8")).first();
        assertEquals("when do you use \"&\" instead of \"and\"?", quoted.getString(quoted.fieldIndex("question2")),
                "doubled quotes inside a quoted field are one quote");

        JsonNode m = PairPrepJob.run(spark, config(PairFormat.MRPC, tmp.resolve("m").toString(), mrpc));
        assertReconciles(m);
        assertEquals(dataLines(mrpc), m.path("rows_read").asLong());
        assertTrue(m.path("rows_written").asLong() > 4000);
        Row first = spark.read().parquet(tmp.resolve("m/v1/*").toString()).filter(col("pair_id").equalTo("702876-702977")).first();
        assertEquals(1, first.getInt(first.fieldIndex("label")));
    }

    @Test
    void gloveVectorsAndFitFromGiveIdenticalFeaturesForTheSameQuestion() throws IOException {
        Path glove = SharedData.require("glove/glove.6B.100d.top10k-wink.txt.gz");
        Path train = SharedData.require("qqp/glue_qqp_format_samples/train.tsv");
        Path unlabeled = SharedData.require("qqp/glue_qqp_format_samples/test.tsv");
        String fitted = tmp.resolve("fitted").toString();
        JsonNode s = PairPrepJob.run(spark, config(PairFormat.QUORA, fitted, train).withVectors(glove.toString())
                .withSplit(new SplitFractions(1, 0, 0)));
        assertEquals(100, s.path("fit").path("vector_dim").asInt());
        assertTrue(s.path("fit").path("words_with_vectors").asLong() > 50);

        // score-only data: every row in test, vocabulary/IDF/vectors reused, labels absent
        String scored = tmp.resolve("scored").toString();
        JsonNode t = PairPrepJob.run(spark, config(PairFormat.QUORA, scored, unlabeled).withFitFrom(fitted)
                .withSplit(SplitFractions.ALL_TEST));
        assertReconciles(t);
        assertEquals(t.path("rows_read").asLong(), t.path("written_by_split").path("test").asLong());
        assertEquals(0, spark.read().parquet(scored + "/v1/test").filter(col("label").isNotNull()).count());

        // the same file transformed with the same fit gives the same vectors
        String again = tmp.resolve("again").toString();
        PairPrepJob.run(spark, config(PairFormat.QUORA, again, train).withFitFrom(fitted).withSplit(SplitFractions.ALL_TEST));
        Row a = spark.read().parquet(fitted + "/v1/train").orderBy("pair_id").first();
        Row b = spark.read().parquet(again + "/v1/test").orderBy("pair_id").first();
        assertArrayEquals(floats(a.getList(a.fieldIndex("q1_vector"))), floats(b.getList(b.fieldIndex("q1_vector"))));
        assertEquals(a.getList(a.fieldIndex("q1_token_ids")), b.getList(b.fieldIndex("q1_token_ids")));
    }

    @Test
    void rerunningGivesTheSameSplitAndAMissingFileStopsTheJobNamingIt() {
        Path file = tmp.resolve("gen.tsv");
        SyntheticPairGenerator.write(file, 400, 0.37, 5);
        PairPrepJob.run(spark, config(PairFormat.QUORA, tmp.resolve("a").toString(), file));
        PairPrepJob.run(spark, config(PairFormat.QUORA, tmp.resolve("b").toString(), file));
        List<Row> a = spark.read().parquet(tmp.resolve("a/v1/dev").toString()).select("pair_id").orderBy("pair_id").collectAsList();
        List<Row> b = spark.read().parquet(tmp.resolve("b/v1/dev").toString()).select("pair_id").orderBy("pair_id").collectAsList();
        assertEquals(a, b);
        assertTrue(a.size() > 10);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                PairPrepJob.run(spark, config(PairFormat.QUORA, tmp.resolve("c").toString(), tmp.resolve("nope.tsv"))));
        assertTrue(e.getMessage().contains("nope.tsv") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void theColumnarAndSparkParquetWritersWriteTheSameSplitsAndCounts() {
        Path file = tmp.resolve("gen.tsv");
        SyntheticPairGenerator.write(file, 1500, 0.37, 11);
        ObjectNode columnar = PairPrepJob.run(spark, config(PairFormat.QUORA, tmp.resolve("columnar").toString(), file));
        // the same fit (Word2Vec is trained anew on each run otherwise)
        ObjectNode sparkWritten = PairPrepJob.run(spark, config(PairFormat.QUORA, tmp.resolve("spark").toString(), file)
                .withFitFrom(tmp.resolve("columnar").toString()).withWriter(ParquetWriterKind.SPARK));
        assertReconciles(columnar);
        assertEquals(sparkWritten.path("written_by_split"), columnar.path("written_by_split"));
        assertEquals(sparkWritten.path("quarantined_by_reason"), columnar.path("quarantined_by_reason"));
        for (String split : List.of("train", "dev", "test")) {
            Dataset<Row> a = spark.read().parquet(tmp.resolve("columnar/v1/" + split).toString());
            Dataset<Row> b = spark.read().parquet(tmp.resolve("spark/v1/" + split).toString());
            assertEquals(b.schema(), a.schema());
            List<String> rowsA = a.orderBy("pair_id").collectAsList().stream().map(Row::toString).toList();
            List<String> rowsB = b.orderBy("pair_id").collectAsList().stream().map(Row::toString).toList();
            assertTrue(rowsA.size() > 100, split + " has rows");
            assertEquals(rowsB.size(), rowsA.size(), split);
            for (int i = 0; i < rowsA.size(); i++) {
                assertEquals(rowsB.get(i), rowsA.get(i), split + " row " + i + ": same values, vectors and token ids");
            }
        }
    }

    @Test
    void withGivenVectorsAndTheColumnarWriterNoSparkSqlQueryRuns() throws Exception {
        Path file = tmp.resolve("gen.tsv");
        SyntheticPairGenerator.write(file, 600, 0.37, 3);
        // two bad rows: a quarantine with reasons to count
        Files.writeString(file, "9001\t1\t2\tonly three fields\n9002\t3\t4\tWhat is it?\tWhy so?\tmaybe\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path vectors = tmp.resolve("vectors.txt");
        Files.writeString(vectors, "how 0.1 0.2 0.3\nwhat 0.4 0.5 0.6\nlearn 0.7 0.8 0.9\nis -0.1 -0.2 -0.3\n");
        List<String> queries = new CopyOnWriteArrayList<>();
        QueryExecutionListener listener = new QueryExecutionListener() {
            @Override
            public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
                queries.add(funcName);
            }

            @Override
            public void onFailure(String funcName, QueryExecution qe, Exception exception) {
                queries.add(funcName);
            }
        };
        spark.listenerManager().register(listener);
        try {
            JsonNode s = PairPrepJob.run(spark, config(PairFormat.QUORA, tmp.resolve("out").toString(), file)
                    .withVectors(vectors.toString()));
            assertReconciles(s);
            assertEquals(2, s.path("rows_quarantined").asLong());
            // a marker query: the listener bus delivers in order, so once it is seen every earlier query was too
            spark.range(3).count();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!queries.contains("count") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of("count"), queries, "Spark SQL queries run by the job (Catalyst set-up in a fresh JVM costs seconds)");
        } finally {
            spark.listenerManager().unregister(listener);
        }
    }

    @Test
    void aDatasetOfAnotherSchemaVersionIsRefusedWithAMessageSayingSo() throws IOException {
        Path file = tmp.resolve("gen.tsv");
        SyntheticPairGenerator.write(file, 200, 0.37, 5);
        String out = tmp.resolve("ds").toString();
        PairPrepJob.run(spark, config(PairFormat.QUORA, out, file));
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        DatasetMetadata.require(storage, out, PairSchema.DATASET_KIND, PairSchema.VERSION);

        Path meta = Path.of(out, "v1", DatasetMetadata.FILE);
        Files.writeString(meta, Files.readString(meta).replace("\"schema_version\" : 1", "\"schema_version\" : 7"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetMetadata.require(storage, out, PairSchema.DATASET_KIND, PairSchema.VERSION));
        assertTrue(e.getMessage().contains("schema version 7") && e.getMessage().contains("reads question-pairs schema version 1"),
                e.getMessage());

        Files.move(Path.of(out, "v1"), Path.of(out, "v2"));
        e = assertThrows(IllegalArgumentException.class,
                () -> DatasetMetadata.require(storage, out, PairSchema.DATASET_KIND, PairSchema.VERSION));
        assertTrue(e.getMessage().contains("schema version [2]"), e.getMessage());
    }

    private static float[] floats(List<Float> l) {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = l.get(i);
        }
        return f;
    }
}
