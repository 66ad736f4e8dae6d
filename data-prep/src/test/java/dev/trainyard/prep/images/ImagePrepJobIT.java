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

    @Test
    void headersThatDeclareMoreThanTheFileHoldsAreBadHeadersCountingWhatTheyDeclared() throws IOException {
        byte[] someImages = new byte[10 * 28 * 28];
        Path huge = idx("huge.idx", 3, new int[]{Integer.MAX_VALUE, 28, 28}, someImages);
        Path wide = idx("wide.idx", 3, new int[]{10, 50000, 50000}, someImages);
        Path wrapping = idx("wrap.idx", 3, new int[]{10, 65536, 65536}, someImages);
        Path labels = idx("lab.idx", 1, new int[]{10}, new byte[10]);
        String out = tmp.resolve("out").toString();
        JsonNode s = ImagePrepJob.run(spark, new ImagePrepConfig(List.of(huge.toString(), wide.toString(), wrapping.toString()),
                List.of(labels.toString(), labels.toString(), labels.toString()), out, "train", 0, 10, 1, false));
        assertEquals(0, s.path("records_written").asLong(), "no 0-byte or partial images");
        assertEquals(Integer.MAX_VALUE + 10L + 10L, s.path("records_quarantined").asLong(), "the declared records are counted");
        assertEquals(s.path("records_read").asLong(), s.path("records_quarantined").asLong());
        Map<String, String> detail = new HashMap<>();
        for (Row r : spark.read().parquet(out + "/quarantine").collectAsList()) {
            assertEquals(ImagePrepJob.BAD_HEADER, r.getString(2));
            detail.put(Path.of(r.getString(0)).getFileName().toString(), r.getString(3));
        }
        assertTrue(detail.get("huge.idx").contains("2147483647 records") && detail.get("huge.idx").contains("holds 7840 bytes"),
                detail.get("huge.idx"));
        assertTrue(detail.get("wide.idx").contains("50000x50000"), detail.get("wide.idx"));
        assertTrue(detail.get("wrap.idx").contains("4294967296 bytes each"), detail.get("wrap.idx"));
    }

    @Test
    void aGzippedFileEndingEarlyIsOneTruncatedRowForItsMissingTail() throws IOException {
        Path plain = idx("huge.idx", 3, new int[]{Integer.MAX_VALUE, 2, 2}, new byte[3 * 4]);
        Path gz = tmp.resolve("huge.idx.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        Path labels = idx("lab.idx.raw", 1, new int[]{3}, new byte[]{1, 2, 3});
        JsonNode s = ImagePrepJob.run(spark, new ImagePrepConfig(List.of(gz.toString()), List.of(labels.toString()),
                tmp.resolve("out").toString(), "train", 0, 10, 1, false));
        assertEquals(3, s.path("records_written").asLong());
        assertEquals(Integer.MAX_VALUE - 3L, s.path("quarantined_by_reason").path(ImagePrepJob.TRUNCATED).asLong());
        assertEquals(1, spark.read().parquet(tmp.resolve("out/quarantine").toString()).count(), "one row, not two billion");
    }
}
