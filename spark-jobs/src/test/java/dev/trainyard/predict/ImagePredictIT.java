package dev.trainyard.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.ml.ImageEnsembleModel;
import dev.trainyard.ml.TrainyardModel;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.images.SyntheticImages;
import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.Ensemble;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.trainyard.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An ensemble predicts IDX files and image datasets through its Spark ML form, as the ensemble itself scores them. */
class ImagePredictIT {
    @TempDir
    static Path tmp;
    private static String model;
    private static Path images;
    private static Path labels;

    @BeforeAll
    static void trainAnEnsemble() throws Exception {
        Path trainImages = tmp.resolve("train-images.idx");
        Path trainLabels = tmp.resolve("train-labels.idx");
        SyntheticImages.write(Files.newOutputStream(trainImages), Files.newOutputStream(trainLabels), 300, 3, 28, 1);
        String data = tmp.resolve("data").toString();
        model = tmp.resolve("ensemble").toString();
        run(0, "prep", "images", "--images", trainImages.toString(), "--labels", trainLabels.toString(), "--output", data,
                "--num-classes", "3");
        run(0, "train", "ensemble", "--data", data, "--output", model, "--members", "2", "--epochs", "1", "--filters", "4,8",
                "--dense", "16");
        images = tmp.resolve("new-images.idx");
        labels = tmp.resolve("new-labels.idx");
        SyntheticImages.write(Files.newOutputStream(images), Files.newOutputStream(labels), 120, 3, 28, 2);
    }

    private static Map<Long, Row> byIndex(String out) {
        Map<Long, Row> m = new HashMap<>();
        for (Row r : LocalSpark.get().read().parquet(out + "/" + PredictJob.PREDICTIONS).filter("source_file = '" + images + "'").collectAsList()) {
            m.put(r.getLong(r.fieldIndex("index")), r);
        }
        return m;
    }

    @Test
    void idxFilesAndTheirDatasetArePredictedAsTheEnsembleScoresThem() throws Exception {
        String fromIdx = tmp.resolve("p-idx").toString();
        run(0, "predict", "--model", model, "--input", images.toString(), "--output", fromIdx);
        String prepped = tmp.resolve("new-data").toString();
        run(0, "prep", "images", "--images", images.toString(), "--labels", labels.toString(), "--output", prepped, "--num-classes", "3");
        String fromData = tmp.resolve("p-data").toString();
        run(0, "predict", "--model", model, "--input", prepped, "--output", fromData);
        Schemas.assertWritten(PredictionSchemas.IMAGES, fromIdx);
        Schemas.assertWritten(PredictionSchemas.IMAGES, fromData);
        Map<Long, Row> a = byIndex(fromIdx);
        Map<Long, Row> b = byIndex(fromData);
        assertEquals(120, a.size());
        assertEquals(a.keySet(), b.keySet());

        Ensemble ensemble = Ensemble.load(Path.of(model, "ensemble.zip"));
        byte[] all = Files.readAllBytes(images);
        for (long i = 0; i < 120; i++) {
            float[] x = new float[28 * 28];
            for (int p = 0; p < x.length; p++) {
                x[p] = (all[16 + (int) i * x.length + p] & 0xff) / 255f;
            }
            INDArray expected = ensemble.output(Nd4j.create(x).reshape(1, 1, 28, 28), ensemble.combiner());
            Row r = a.get(i);
            List<Double> p = r.getList(r.fieldIndex("probability"));
            for (int c = 0; c < 3; c++) {
                assertEquals(expected.getDouble(0, c), p.get(c), 1e-5, "image " + i + " class " + c);
            }
            assertEquals(expected.argMax(1).getInt(0), r.getInt(r.fieldIndex("prediction")));
            assertEquals(r.getInt(r.fieldIndex("prediction")), b.get(i).getInt(b.get(i).fieldIndex("prediction")));
            assertTrue(r.isNullAt(r.fieldIndex("label")) && !b.get(i).isNullAt(b.get(i).fieldIndex("label")),
                    "labels only where the input had them");
        }
    }

    @Test
    void truncatedFilesAndForeignSizesAreQuarantinedAndTheCountsReconcile() throws Exception {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        SyntheticImages.write(whole, null, 50, 3, 28, 3);
        Path truncated = tmp.resolve("truncated.idx");
        Files.write(truncated, java.util.Arrays.copyOf(whole.toByteArray(), 16 + 30 * 28 * 28));
        Path small = tmp.resolve("small.idx");
        SyntheticImages.write(Files.newOutputStream(small), null, 10, 3, 14, 4);
        String out = tmp.resolve("p-bad").toString();
        run(0, "predict", "--model", model, "--input", images.toString(), "--input", truncated.toString(), "--input", small.toString(),
                "--combiner", "vote", "--output", out);
        JsonNode s = Json.MAPPER.readTree(Path.of(out, PredictJob.SUMMARY).toFile());
        assertEquals(180, s.path("rows_read").asLong(), s.toString());
        assertEquals(150, s.path("rows_predicted").asLong(), s.toString());
        assertEquals(20, s.path("quarantined_by_reason").path("truncated").asLong(), s.toString());
        assertEquals(10, s.path("quarantined_by_reason").path(ImagePredictions.WRONG_SIZE).asLong(), s.toString());
        assertEquals("vote", s.path("details").path("combiner").asText());
        for (Row r : LocalSpark.get().read().parquet(out + "/" + PredictJob.PREDICTIONS).collectAsList()) {
            List<Double> p = r.getList(r.fieldIndex("probability"));
            for (double v : p) {
                assertEquals(0, Math.abs(v * 2 - Math.round(v * 2)), 1e-9, "a vote of 2 members: shares of 0, 1/2 or 1: " + p);
            }
        }
        List<Row> q = LocalSpark.get().read().parquet(out + "/" + PredictJob.QUARANTINE).collectAsList();
        assertEquals(11, q.size(), "one row for the lost tail, one per foreign-size image");
    }

    @Test
    void theTransformerAppendsClassAndProbabilitiesToAnyDataFrameWithPixels() {
        ImageEnsembleModel m = ((ImageEnsembleModel) TrainyardModel.load(model)).setPixelsCol("img").setCombiner("mean");
        var df = LocalSpark.get().createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("a", new byte[28 * 28]),
                        org.apache.spark.sql.RowFactory.create("b", new byte[5])),
                new org.apache.spark.sql.types.StructType().add("id", "string").add("img", "binary"));
        List<Row> rows = m.transform(df).orderBy("id").collectAsList();
        assertEquals(List.of("id", "img", "prediction", "probability"), List.of(rows.get(0).schema().fieldNames()));
        assertEquals(1.0, rows.get(0).<Double>getList(3).stream().mapToDouble(Double::doubleValue).sum(), 1e-5, "mean of softmaxes");
        assertTrue(rows.get(1).isNullAt(2), "pixels of the wrong size give nulls, not a failed job");
        assertEquals(Combiner.MEAN.name().toLowerCase(), m.getOrDefault(m.combiner()));
    }
}
