package dev.trainyard.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.eval.PairScorer;
import dev.trainyard.ml.SiameseModel;
import dev.trainyard.ml.TrainyardModel;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import dev.trainyard.train.ModelDir;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.trainyard.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code trainyard predict} and the Spark ML form of a Siamese model: one scoring path, whichever way the pairs come
 * (raw text in any layout, a prep output, a DataFrame, a saved Pipeline), the same numbers as evaluation.
 */
class PairPredictIT {
    @TempDir
    static Path tmp;
    private static String data;
    private static String model;
    private static Path fresh;
    private static String prepped;

    @BeforeAll
    static void trainAndWriteNewPairs() throws Exception {
        Path raw = tmp.resolve("train.tsv");
        SyntheticPairGenerator.write(raw, 3000, 0.37, 21);
        data = tmp.resolve("data").toString();
        model = tmp.resolve("model").toString();
        run(0, "prep", "pairs", "--input", raw.toString(), "--format", "quora", "--output", data, "--vector-size", "16");
        run(0, "train", "siamese", "--data", data, "--output", model, "--epochs", "2", "--hidden", "16,16", "--workers", "2",
                "--batch-size-per-worker", "32");
        fresh = tmp.resolve("new.tsv");
        SyntheticPairGenerator.write(fresh, 500, 0.5, 22);
        // two records prep would reject: a question under the training data's minimum length, a short row
        Files.writeString(fresh, "900001\t1\t2\twhy?\tHow do I learn to cook rice well?\t0\n900002\tonly three\tfields\n",
                java.nio.file.StandardOpenOption.APPEND);
        prepped = tmp.resolve("new-prepped").toString();
        run(0, "prep", "pairs", "--input", fresh.toString(), "--format", "quora", "--output", prepped, "--split", "test",
                "--fit-from", data);
    }

    private static Map<String, Row> byId(String predictions) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : LocalSpark.get().read().parquet(predictions + "/" + PredictJob.PREDICTIONS).collectAsList()) {
            out.put(r.getString(r.fieldIndex(PairSchema.PAIR_ID)), r);
        }
        return out;
    }

    @Test
    void rawTextPreppedDataAndEvaluationScoreEveryPairTheSame() throws Exception {
        String fromRaw = tmp.resolve("p-raw").toString();
        String fromPrep = tmp.resolve("p-prep").toString();
        run(0, "predict", "--model", model, "--input", fresh.toString(), "--format", "quora", "--output", fromRaw);
        run(0, "predict", "--model", model, "--input", prepped, "--output", fromPrep);
        Schemas.assertWritten(PredictionSchemas.PAIRS, fromRaw);
        Schemas.assertWritten(PredictionSchemas.PAIRS, fromPrep);
        Map<String, Row> a = byId(fromRaw);
        Map<String, Row> b = byId(fromPrep);
        assertEquals(500, a.size(), "every readable pair predicted");
        assertEquals(a.keySet(), b.keySet());
        for (String id : a.keySet()) {
            Row x = a.get(id);
            Row y = b.get(id);
            assertEquals(x.getDouble(x.fieldIndex("distance")), y.getDouble(y.fieldIndex("distance")), 1e-5, "pair " + id);
            assertEquals(x.getInt(x.fieldIndex("prediction")), y.getInt(y.fieldIndex("prediction")), "pair " + id);
            assertEquals("model", x.getString(x.fieldIndex(PredictJob.MODEL_NAME)));
            assertEquals("unregistered", x.getString(x.fieldIndex(PredictJob.MODEL_VERSION)));
            assertEquals("siamese", x.getString(x.fieldIndex(PredictJob.MODEL_FAMILY)));
        }

        // evaluation's scores of the same rows (minus the distance for this head) are these distances
        ModelDir dir = new ModelDir(new Storage(LocalSpark.get().sparkContext().hadoopConfiguration()), model);
        double[] evaluated = PairScorer.score(LocalSpark.get(), dir.readModel(), dir.spec(SiameseSpec.class), prepped, "test").scores();
        double[] predicted = b.values().stream().mapToDouble(r -> -r.getDouble(r.fieldIndex("distance"))).toArray();
        Arrays.sort(evaluated);
        Arrays.sort(predicted);
        // float32 networks: a row scored in another minibatch may differ in the last bits
        assertArrayEquals(evaluated, predicted, 1e-5);
    }

    @Test
    void badRowsAreQuarantinedWithReasonsAndTheCountsReconcile() throws Exception {
        String out = tmp.resolve("p-counts").toString();
        run(0, "predict", "--model", model, "--input", fresh.toString(), "--format", "quora", "--output", out);
        JsonNode s = Json.MAPPER.readTree(Path.of(out, PredictJob.SUMMARY).toFile());
        assertEquals(502, s.path("rows_read").asLong(), s.toString());
        assertEquals(500, s.path("rows_predicted").asLong());
        assertEquals(2, s.path("rows_quarantined").asLong());
        assertEquals(1, s.path("quarantined_by_reason").path("too_short").asLong(), s.toString());
        assertEquals(1, s.path("quarantined_by_reason").path("wrong_field_count").asLong(), s.toString());
        List<Row> q = LocalSpark.get().read().parquet(out + "/" + PredictJob.QUARANTINE).collectAsList();
        assertEquals(2, q.size());
        assertTrue(q.stream().allMatch(r -> r.getString(0).equals(fresh.toString()) && !r.getString(3).isEmpty()), q.toString());

        // an independent reader (parquet-mr, no Spark) reads the predictions' rows and columns
        long rows = 0;
        List<String> columns = new ArrayList<>();
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        for (Path f : Files.list(Path.of(out, PredictJob.PREDICTIONS)).filter(p -> p.toString().endsWith(".parquet")).toList()) {
            try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(
                    org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), conf))) {
                rows += reader.getRecordCount();
                columns = reader.getFooter().getFileMetaData().getSchema().getFields().stream().map(t -> t.getName()).toList();
            }
        }
        assertEquals(500, rows);
        assertTrue(columns.containsAll(List.of("pair_id", "question1", "question2", "probability", "prediction", "distance",
                "model_name", "model_version", "model_family")), columns.toString());
    }

    @Test
    void plainUnlabelledPairsAndAPromotedModelPredictTheSame() throws Exception {
        // id, question1, question2 without labels or header: the layout users score
        StringBuilder plain = new StringBuilder();
        for (String line : Files.readAllLines(fresh)) {
            String[] f = line.split("\t");
            if (f.length == 6 && !f[3].equals("why?")) {
                plain.append(f[0]).append('\t').append(f[3]).append('\t').append(f[4]).append('\n');
            }
        }
        Path tsv = tmp.resolve("plain.tsv");
        Files.writeString(tsv, plain);
        String registry = tmp.resolve("registry").toString();
        String eval = tmp.resolve("eval.json").toString();
        run(0, "evaluate", "--model", model, "--data", data, "--output", eval);
        run(0, "promote", "--model", model, "--evaluation", eval, "--registry", registry, "--name", "pairs");
        String out = tmp.resolve("p-plain").toString();
        run(0, "predict", "--model", registry + "/pairs", "--input", tsv.toString(), "--output", out);
        String ref = tmp.resolve("p-ref").toString();
        run(0, "predict", "--model", registry + "/pairs@v0001", "--input", fresh.toString(), "--format", "quora", "--output", ref);
        Map<String, Row> a = byId(out);
        Map<String, Row> b = byId(ref);
        assertEquals(b.keySet(), a.keySet());
        for (String id : a.keySet()) {
            Row x = a.get(id);
            assertNull(x.get(x.fieldIndex(PairSchema.LABEL)), "no label given, none made up");
            assertEquals(b.get(id).getDouble(b.get(id).fieldIndex("probability")), x.getDouble(x.fieldIndex("probability")), 1e-6);
            assertEquals("pairs", x.getString(x.fieldIndex(PredictJob.MODEL_NAME)));
            assertEquals("v0001", x.getString(x.fieldIndex(PredictJob.MODEL_VERSION)), "CURRENT is v0001");
        }
        String err = run(2, "predict", "--model", registry + "/pairs@v0009", "--input", tsv.toString(), "--output",
                tmp.resolve("p-none").toString());
        assertTrue(err.contains("v0009") && err.contains("v0001"), err);
    }

    @Test
    void theTransformerInsideASavedAndReloadedPipelineGivesTheSameColumns() throws Exception {
        Dataset<Row> questions = LocalSpark.get().read().option("sep", "\t").csv(fresh.toString()).toDF("id", "qid1", "qid2", "q1", "q2", "label")
                .filter("label is not null").limit(200);
        SiameseModel siamese = ((SiameseModel) TrainyardModel.load(model)).setQuestion1Col("first").setQuestion2Col("second");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{
                new SQLTransformer().setStatement("SELECT id, q1 AS first, q2 AS second FROM __THIS__"), siamese});
        PipelineModel fitted = pipeline.fit(questions);
        List<Row> before = fitted.transform(questions).orderBy("id").collectAsList();
        String saved = tmp.resolve("pipeline").toString();
        fitted.write().overwrite().save(saved);
        // the saved pipeline carries the model and its text fit: it loads with the model folder gone
        Path moved = tmp.resolve("model-moved");
        Files.move(Path.of(model), moved);
        try {
            List<Row> after = PipelineModel.load(saved).transform(questions).orderBy("id").collectAsList();
            assertEquals(before, after);
        } finally {
            Files.move(moved, Path.of(model));
        }
        Row r = before.get(0);
        assertTrue(r.schema().getFieldIndex("probability").isDefined() && r.schema().getFieldIndex("prediction").isDefined()
                && r.schema().getFieldIndex("distance").isDefined(), r.schema().treeString());
        assertEquals(200, before.size());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> siamese.transform(questions.withColumnRenamed("q1", "first")));
        assertTrue(missing.getMessage().contains("'second'") && missing.getMessage().contains("question2Col"), missing.getMessage());
    }

    @Test
    void dryRunChecksTheModelAndAMissingTextFitIsNamed() throws Exception {
        run(0, "predict", "--model", model, "--input", fresh.toString(), "--output", tmp.resolve("dry").toString(), "--dry-run");
        assertTrue(!Files.exists(tmp.resolve("dry")), "a dry run writes nothing");
        String err = run(2, "predict", "--model", tmp.toString(), "--input", fresh.toString(), "--output",
                tmp.resolve("dry2").toString(), "--dry-run");
        assertTrue(err.contains("neither a model folder"), err);
        err = run(2, "predict", "--model", model, "--input", fresh.toString(), "--format", "quora", "--fit-from",
                tmp.resolve("nowhere").toString(), "--output", tmp.resolve("p-nofit").toString());
        assertTrue(err.contains("--fit-from") && err.contains("missing"), err);
    }
}
