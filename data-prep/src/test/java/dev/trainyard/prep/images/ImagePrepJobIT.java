package dev.trainyard.prep.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.testing.SharedData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePrepJobIT {
    private final SparkSession spark = LocalSpark.get();
    @TempDir
    Path tmp;

    /** An IDX file: magic 0x08, ndims; dims; then the data (which may be shorter than the header says). */
    private Path idx(String name, int ndims, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x0800 | ndims);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        Path p = tmp.resolve(name);
        Files.write(p, b.toByteArray());
        return p;
    }

    @Test
    void realMnistTestSetAndTrainingPartsGiveTheKnownCounts() {
        Path images = SharedData.require("mnist/idx/t10k-images-idx3-ubyte.gz");
        Path labels = SharedData.require("mnist/idx/t10k-labels-idx1-ubyte.gz");
        String out = tmp.resolve("test").toString();
        JsonNode s = ImagePrepJob.run(spark, new ImagePrepConfig(List.of(images.toString()), List.of(labels.toString()), out,
                "test", 0, 10, 42, false));
        assertEquals(10000, s.path("records_written").asLong());
        assertEquals(0, s.path("records_quarantined").asLong());
        List<Long> counts = new ArrayList<>();
        for (Row r : spark.read().parquet(out + "/v1/test").groupBy("label").count().orderBy("label").collectAsList()) {
            counts.add(r.getLong(1));
        }
        // from ../shared/data/mnist/PROVENANCE.md (verify_mnist.py)
        assertEquals(List.of(980L, 1135L, 1032L, 1010L, 982L, 892L, 958L, 1028L, 974L, 1009L), counts);
        Row first = spark.read().parquet(out + "/v1/test").filter("index = 0").first();
        assertEquals(7, first.getInt(first.fieldIndex("label")));
        assertEquals(28 * 28, ((byte[]) first.get(first.fieldIndex("pixels"))).length);

        List<String> imageParts = new ArrayList<>();
        List<String> labelParts = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            imageParts.add(SharedData.require("mnist/train-images-parts/train-images-idx3-ubyte.part" + p + "of6.gz").toString());
            labelParts.add(SharedData.require("mnist/train-labels-parts/train-labels-idx1-ubyte.part" + p + "of6.gz").toString());
        }
        JsonNode t = ImagePrepJob.run(spark, new ImagePrepConfig(imageParts, labelParts, tmp.resolve("train").toString(),
                "train", 0.1, 10, 42, false));
        assertEquals(60000, t.path("records_written").asLong());
        long dev = t.path("written_by_split").path("dev").asLong();
        assertTrue(Math.abs(dev - 6000) < 300, "about 10% in dev: " + dev);
    }

    @Test
    void badHeadersLabelsTruncationAndCountMismatchesAreQuarantinedWithReasons() throws IOException {
        byte[] three = new byte[3 * 4];
        Path goodImages = idx("img.idx", 3, new int[]{3, 2, 2}, three);
        Path badLabels = idx("lab.idx", 1, new int[]{3}, new byte[]{1, 12, 3});
        Path truncated = idx("trunc.idx", 3, new int[]{3, 2, 2}, new byte[2 * 4]);
        Path okLabels = idx("lab2.idx", 1, new int[]{3}, new byte[]{0, 1, 2});
        Path twoLabels = idx("lab3.idx", 1, new int[]{2}, new byte[]{4, 5});
        Path wrongMagic = idx("bad.idx", 4, new int[]{3, 2, 2, 1}, three);
        JsonNode s = ImagePrepJob.run(spark, new ImagePrepConfig(
                List.of(goodImages.toString(), truncated.toString(), goodImages.toString(), wrongMagic.toString()),
                List.of(badLabels.toString(), okLabels.toString(), twoLabels.toString(), okLabels.toString()),
                tmp.resolve("out").toString(), "train", 0, 10, 1, false));
        assertEquals(s.path("records_read").asLong(), s.path("records_written").asLong() + s.path("records_quarantined").asLong());
        assertEquals(2 + 2 + 2, s.path("records_written").asLong());
        Map<String, Long> expected = new HashMap<>(Map.of(ImagePrepJob.BAD_LABEL, 1L, ImagePrepJob.TRUNCATED, 1L,
                ImagePrepJob.NO_LABEL, 1L, ImagePrepJob.BAD_HEADER, 1L));
        Map<String, Long> got = new HashMap<>();
        s.path("quarantined_by_reason").fields().forEachRemaining(e -> got.put(e.getKey(), e.getValue().asLong()));
        assertEquals(expected, got);
        Row header = spark.read().parquet(tmp.resolve("out/quarantine").toString()).filter("reason = 'bad_header'").first();
        assertTrue(header.getString(3).contains("4 dimensions, expected 3"), header.getString(3));
    }
}
