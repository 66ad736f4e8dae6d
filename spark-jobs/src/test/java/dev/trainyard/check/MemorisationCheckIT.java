package dev.trainyard.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.images.ImagePrepConfig;
import dev.trainyard.prep.images.ImagePrepJob;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.testing.SharedData;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On real MNIST: a ConvNet trained on 300 images with shuffled labels climbs well above chance on
 * those labels (it memorises) while its test accuracy does not rise above chance; with the real
 * labels the same model generalises. (Measured with 500 images, 40 epochs, on 2026-11-27: shuffled
 * train 0.678, test 0.064; real train 1.000, test 0.875; chance 0.114.)
 */
class MemorisationCheckIT {
    private final SparkSession spark = LocalSpark.get();
    @TempDir
    Path tmp;

    @Test
    void shuffledLabelsAreMemorisedButTestAccuracyFallsToChance() throws Exception {
        String train = tmp.resolve("train").toString();
        String test = tmp.resolve("test").toString();
        ImagePrepJob.run(spark, new ImagePrepConfig(
                List.of(SharedData.require("mnist/train-images-parts/train-images-idx3-ubyte.part0of6.gz").toString()),
                List.of(SharedData.require("mnist/train-labels-parts/train-labels-idx1-ubyte.part0of6.gz").toString()),
                train, "train", 0, 10, 1, false));
        ImagePrepJob.run(spark, new ImagePrepConfig(List.of(SharedData.require("mnist/idx/t10k-images-idx3-ubyte.gz").toString()),
                List.of(SharedData.require("mnist/idx/t10k-labels-idx1-ubyte.gz").toString()), test, "test", 0, 10, 1, false));

        String out = tmp.resolve("check").toString();
        JsonNode r = MemorisationCheck.run(spark, new MemorisationCheck.Config(train, test, "test", out, 300, 40, 7, List.of(8), 64));
        System.out.println(r.path("summary").asText());
        assertEquals(300, r.path("training_rows").asLong());
        double chance = r.path("chance_accuracy").asDouble();
        assertEquals(0.1135, chance, 1e-4, "the most common MNIST test digit (1) is 1135 of 10000");
        JsonNode shuffled = r.path("shuffled_labels");
        assertTrue(shuffled.path("train_accuracy").asDouble() > chance + 0.2,
                "the ConvNet memorises shuffled labels: train accuracy " + shuffled.path("train_accuracy"));
        assertTrue(shuffled.path("test_accuracy").asDouble() < chance + 0.03,
                "shuffled labels carry nothing to the test set: " + shuffled.path("test_accuracy"));
        assertFalse(r.path("leak_suspected").asBoolean());
        assertTrue(r.path("real_labels").path("test_accuracy").asDouble() > 0.6, "real labels generalise: " + r.path("real_labels"));
        assertTrue(Files.readString(Path.of(out, "memorisation.html")).contains("memorised"));
    }
}
