package dev.trainyard.trust;

import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.text.PairFormat;
import dev.trainyard.prep.text.PairPrepConfig;
import dev.trainyard.prep.text.PairPrepJob;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import dev.trainyard.train.SiameseTrainConfig;
import dev.trainyard.train.SiameseTrainJob;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's pipeline (generate, prep with Word2Vec, train by parameter averaging) is a function of its seed. */
class DeterminismIT {
    @TempDir
    Path tmp;

    private INDArray pipeline(SparkSession spark, Path raw, String name) {
        String data = tmp.resolve(name + "-data").toString();
        PairPrepJob.run(spark, PairPrepConfig.defaults(List.of(raw.toString()), PairFormat.QUORA, data).withVectorSize(16));
        TrainingConfig training = new TrainingConfig(TrainingConfig.Engine.SPARK, 2, 32, 5, 2, 2, 42);
        return SiameseTrainJob.run(spark, new SiameseTrainConfig(data, tmp.resolve(name + "-model").toString(),
                SiameseSpec.defaults(1).withHidden(List.of(16, 16)).withSeed(42), training, false, false)).network().params().dup();
    }

    private static void assertIdentical(INDArray a, INDArray b, String what) {
        // exactly: INDArray.equals allows a difference of 1e-5
        double worst = a.sub(b).amaxNumber().doubleValue();
        assertTrue(worst == 0, what + ": parameters differ by up to " + worst);
    }

    @Test
    void twoRunsWithTheSameSeedAndAnotherCoreCountGiveTheSameParameters() throws IOException {
        Path raw = tmp.resolve("pairs.tsv");
        SyntheticPairGenerator.write(raw, 2000, 0.37, 42);
        INDArray first = pipeline(LocalSpark.get(), raw, "a");
        INDArray second = pipeline(LocalSpark.get(), raw, "b");
        assertIdentical(first, second, "two runs in local[2]");

        LocalSpark.get().stop();
        SparkSession one = SparkSession.builder().appName("trainyard-it-one-core").master("local[1]")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        try {
            assertIdentical(first, pipeline(one, raw, "c"), "local[1] with the same --workers");
        } finally {
            one.stop();
        }
    }
}
