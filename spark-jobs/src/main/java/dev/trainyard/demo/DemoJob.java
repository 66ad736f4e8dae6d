package dev.trainyard.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.eval.EvaluateConfig;
import dev.trainyard.eval.EvaluateJob;
import dev.trainyard.prep.text.PairFormat;
import dev.trainyard.prep.text.PairPrepConfig;
import dev.trainyard.prep.text.PairPrepJob;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import dev.trainyard.train.SiameseTrainConfig;
import dev.trainyard.train.SiameseTrainJob;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** generate -> prep -> train (parameter averaging) -> evaluate -> report, on whatever Spark it is given. */
public final class DemoJob {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.demo");
    private static final String MARKER = ".trainyard-demo";

    private DemoJob() {
    }

    public static ObjectNode run(SparkSession spark, DemoConfig cfg) {
        Path out = cfg.output().toAbsolutePath();
        clearPreviousDemo(out);
        Path raw = out.resolve("synthetic-pairs.tsv");
        LOG.info("1/4 generating {} SYNTHETIC question pairs -> {}", cfg.rows(), raw);
        SyntheticPairGenerator.write(raw, cfg.rows(), 0.37, cfg.seed());

        String data = out.resolve("pairs").toString();
        LOG.info("2/4 prep: clean, split, Word2Vec + TF-IDF -> {}", data);
        PairPrepJob.run(spark, PairPrepConfig.defaults(List.of(raw.toString()), PairFormat.QUORA, data).withVectorSize(50));

        String model = out.resolve("model").toString();
        LOG.info("3/4 train: Siamese network, parameter averaging with {} workers, {} epochs -> {}", cfg.workers(), cfg.epochs(), model);
        TrainingConfig training = new TrainingConfig(TrainingConfig.Engine.SPARK, cfg.workers(), 32, 5, 2, cfg.epochs(), cfg.seed());
        SiameseTrainJob.run(spark, new SiameseTrainConfig(data, model, SiameseSpec.defaults(1).withSeed(cfg.seed()),
                training, false, false));
        dev.trainyard.eval.DecisionRule.record(spark, new dev.trainyard.prep.common.Storage(spark.sparkContext().hadoopConfiguration()),
                model, data);

        Path metrics = out.resolve("evaluation.json");
        LOG.info("4/4 evaluate on the test split -> {}", metrics);
        ObjectNode result = EvaluateJob.run(spark, new EvaluateConfig(model, data, metrics.toString(), "test"));
        System.out.printf("%nDemo finished. Test accuracy %.3f (majority baseline %.3f), ROC AUC %.3f.%nReport: %s%n",
                result.path("metrics").path("accuracy").asDouble(), result.path("baseline").path("accuracy").asDouble(),
                result.path("metrics").path("roc_auc").asDouble(), dev.trainyard.report.HtmlReport.pathBeside(metrics.toString()));
        return result;
    }

    /** Replaces an earlier demo's directory, and only that: anything else in the way is refused. */
    private static void clearPreviousDemo(Path out) {
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--output " + out + " is a file; the demo writes a folder: choose another --output");
            }
            if (Files.exists(out)) {
                boolean empty;
                try (var list = Files.list(out)) {
                    empty = list.findAny().isEmpty();
                }
                if (!empty && !Files.exists(out.resolve(MARKER))) {
                    throw new IllegalArgumentException(out + " exists and is not a Trainyard demo directory; choose another --output");
                }
                org.apache.commons.io.FileUtils.deleteDirectory(out.toFile());
            }
            Files.createDirectories(out);
            Files.writeString(out.resolve(MARKER), "written by trainyard demo; the next demo run replaces this directory\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + out, e);
        }
    }
}
