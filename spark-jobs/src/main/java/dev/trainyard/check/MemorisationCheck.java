package dev.trainyard.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.eval.EnsembleEvaluateJob;
import dev.trainyard.eval.EvaluateConfig;
import dev.trainyard.eval.EvaluateJob;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.OutputDir;
import dev.trainyard.prep.common.OutputKind;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.images.ImageSchema;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.report.HtmlReport;
import dev.trainyard.train.ModelDir;
import dev.trainyard.train.SiameseTrainConfig;
import dev.trainyard.train.SiameseTrainJob;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.train.ensemble.EnsembleTrainConfig;
import dev.trainyard.train.ensemble.EnsembleTrainJob;
import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.ConvNetSpec;
import dev.trainyard.zoo.ensemble.MemberSampling;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code trainyard check memorisation} (research notes, "rethinking generalisation"): the same
 * model is trained twice on the same training inputs, once with their labels and once with the
 * labels shuffled (seeded). How far training accuracy climbs on shuffled labels measures the
 * model's capacity to memorise; test accuracy of that model must fall to chance, and when it does
 * not, information leaks from the training split into the test split.
 */
public final class MemorisationCheck {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.check");

    private MemorisationCheck() {
    }

    /**
     * @param testData   dataset holding the test split (image datasets keep it separately); null = {@code data}
     * @param limit      training rows used (the first, in a stable order); 0 = all
     * @param hidden     Siamese tower widths, or the ConvNet's filters (images)
     * @param dense      the ConvNet's dense width (images)
     */
    public record Config(String data, String testData, String testSplit, String output, int limit, int epochs, long seed,
                         List<Integer> hidden, int dense) {
        public Config {
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("--limit must be >= 0 (0 = all training rows), got " + limit);
            }
            hidden = List.copyOf(hidden);
        }

        String test() {
            return testData == null ? data : testData;
        }
    }

    /** Accuracy of one of the two models on its own training labels and on the true test labels. */
    record Run(double trainAccuracy, double testAccuracy, JsonNode epochs) {
    }

    public static ObjectNode run(SparkSession spark, Config cfg) {
        long t0 = System.nanoTime();
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        boolean images = ImageSchema.DATASET_KIND.equals(kindOf(storage, cfg.data()));
        String kind = images ? ImageSchema.DATASET_KIND : PairSchema.DATASET_KIND;
        int version = images ? ImageSchema.VERSION : PairSchema.VERSION;
        DatasetMetadata.require(storage, cfg.data(), kind, version);
        Map<String, String> inputs = new java.util.LinkedHashMap<>();
        inputs.put("--data", cfg.data());
        inputs.put("--test-data", cfg.test());
        // an earlier check's folder is replaced (the check has always rewritten its output), and only that
        return OutputDir.write(storage, cfg.output(), true, OutputKind.CHECK, inputs,
                dir -> check(spark, cfg, storage, dir, images, kind, version, t0));
    }

    private static ObjectNode check(SparkSession spark, Config cfg, Storage storage, String dir, boolean images, String kind,
                                    int version, long t0) {
        List<String> splits = List.of("train", "dev", "test");
        List<String> order = images ? List.of("source_file", "index") : List.of(PairSchema.PAIR_ID);
        ObjectNode out = Json.object();
        out.put("check", "memorisation");
        out.put("data", cfg.data());
        out.put("test_data", cfg.test());
        out.put("test_split", cfg.testSplit());
        out.put("model", images ? "convnet" : "siamese");
        out.put("epochs", cfg.epochs());
        out.put("shuffle_seed", cfg.seed());
        for (boolean shuffle : new boolean[] {false, true}) {
            String name = shuffle ? "shuffled" : "real";
            String data = dir + "/" + name + "-labels-data";
            long rows = LabelShuffle.write(spark, storage, cfg.data(), kind, version, splits, order, "train", cfg.limit(), shuffle,
                    cfg.seed(), data);
            out.put("training_rows", rows);
            LOG.info("memorisation check: training on {} rows with {} labels", rows, name);
            Run r = images ? convNet(spark, cfg, data, dir + "/" + name + "-labels-model")
                    : siamese(spark, cfg, data, dir + "/" + name + "-labels-model");
            ObjectNode o = out.putObject(name + "_labels");
            o.put("train_accuracy", r.trainAccuracy());
            o.put("test_accuracy", r.testAccuracy());
            o.set("epochs", r.epochs());
        }
        long[] labelCounts = testLabelCounts(spark, cfg, images);
        long nTest = java.util.Arrays.stream(labelCounts).sum();
        double chance = java.util.Arrays.stream(labelCounts).max().orElse(0) / (double) Math.max(nTest, 1);
        out.put("chance_accuracy", chance);
        out.put("test_examples", nTest);
        verdict(out, chance, nTest);
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        storage.writeText(dir + "/memorisation.json", Json.write(out));
        storage.writeText(dir + "/memorisation.html", html(out));
        LOG.info("memorisation check: {}", out.path("summary").asText());
        return out;
    }

    /** The dataset kind its metadata names (pairs and images are both at schema version 1). */
    private static String kindOf(Storage storage, String data) {
        String meta = DatasetMetadata.versionDir(data, PairSchema.VERSION) + "/" + DatasetMetadata.FILE;
        if (!storage.exists(meta)) {
            throw new IllegalArgumentException("no prepared dataset at " + data + " (expected " + meta + ")");
        }
        try {
            return Json.MAPPER.readTree(storage.readText(meta)).path("kind").asText();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + meta + ": " + e.getMessage(), e);
        }
    }

    private static Run siamese(SparkSession spark, Config cfg, String data, String model) {
        SiameseSpec spec = SiameseSpec.defaults(1).withHidden(cfg.hidden()).withSeed(cfg.seed());
        TrainingConfig t = new TrainingConfig(TrainingConfig.Engine.SPARK, 2, 32, 2, 2, cfg.epochs(), cfg.seed());
        SiameseTrainJob.run(spark, new SiameseTrainConfig(data, model, spec, t, false, true));
        JsonNode eval = EvaluateJob.run(spark, new EvaluateConfig(model, data, model + "/evaluation.json", cfg.testSplit()));
        return new Run(1 - eval.path("diagnosis").path("train_error").asDouble(), eval.path("metrics").path("accuracy").asDouble(),
                new ModelDir(new Storage(spark.sparkContext().hadoopConfiguration()), model).epochs());
    }

    private static Run convNet(SparkSession spark, Config cfg, String data, String model) {
        ConvNetSpec spec = ConvNetSpec.mnist(cfg.seed()).withSize(cfg.hidden(), cfg.dense());
        EnsembleTrainJob.run(spark, new EnsembleTrainConfig(data, model, 1, MemberSampling.UNIFORM, 1.0, spec, Combiner.MAX,
                cfg.epochs(), 32, cfg.seed()));
        JsonNode train = EnsembleEvaluateJob.run(spark, model, List.of(data), "train", model + "/train-evaluation.json");
        JsonNode test = EnsembleEvaluateJob.run(spark, model, List.of(cfg.test()), cfg.testSplit(), model + "/test-evaluation.json");
        return new Run(train.at("/datasets/0/member_accuracy/0").asDouble(), test.at("/datasets/0/member_accuracy/0").asDouble(),
                Json.MAPPER.createArrayNode());
    }

    /** How many labelled test examples carry each label; the largest share is chance (a constant guess). */
    private static long[] testLabelCounts(SparkSession spark, Config cfg, boolean images) {
        int version = images ? ImageSchema.VERSION : PairSchema.VERSION;
        return DatasetMetadata.readSplit(spark, cfg.test(), version, cfg.testSplit())
                .filter(LabelShuffle.LABEL + " IS NOT NULL").groupBy(LabelShuffle.LABEL).count()
                .collectAsList().stream().mapToLong(r -> r.getLong(1)).toArray();
    }

    /** What the two runs say, in numbers and words. */
    static void verdict(ObjectNode out, double chance, long nTest) {
        double shuffledTrain = out.path("shuffled_labels").path("train_accuracy").asDouble();
        double shuffledTest = out.path("shuffled_labels").path("test_accuracy").asDouble();
        double memorised = (shuffledTrain - chance) / Math.max(1 - chance, 1e-9);
        double se = Math.sqrt(chance * (1 - chance) / Math.max(nTest, 1));
        double z = (shuffledTest - chance) / Math.max(se, 1e-12);
        boolean leak = z > 3;
        out.put("memorised_share", memorised);
        out.put("shuffled_test_z", z);
        out.put("leak_suspected", leak);
        out.put("summary", String.format(Locale.ROOT,
                "with shuffled labels training accuracy reached %.3f (chance %.3f): the model memorised %.0f%% of the way from chance "
                        + "to perfect in %d epochs; its test accuracy is %.3f, %s (z = %.1f over %d test examples). With real labels: "
                        + "train %.3f, test %.3f.", shuffledTrain, chance, 100 * memorised, out.path("epochs").asInt(), shuffledTest,
                leak ? "ABOVE chance: the test split shares information with the training split (duplicates or leakage)"
                        : "not above chance, as it must be", z, nTest, out.path("real_labels").path("train_accuracy").asDouble(),
                out.path("real_labels").path("test_accuracy").asDouble()));
    }

    private static String html(JsonNode out) {
        StringBuilder h = HtmlReport.page("Trainyard memorisation check", "");
        h.append("<h1>Memorisation check</h1><p class=note>data <code>").append(HtmlReport.esc(out.path("data").asText()))
                .append("</code>, ").append(out.path("training_rows").asLong()).append(" training rows, model ")
                .append(HtmlReport.esc(out.path("model").asText())).append(", ").append(out.path("epochs").asInt()).append(" epochs</p>");
        h.append("<table><tr><th>labels</th><th>train accuracy</th><th>test accuracy</th></tr>");
        for (String k : new String[] {"real", "shuffled"}) {
            JsonNode r = out.path(k + "_labels");
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.3f</td><td>%.3f</td></tr>", k, r.path("train_accuracy").asDouble(),
                    r.path("test_accuracy").asDouble()));
        }
        h.append(String.format(Locale.ROOT, "<tr><td>chance (most common test label)</td><td></td><td>%.3f</td></tr></table>",
                out.path("chance_accuracy").asDouble()));
        h.append("<p>").append(HtmlReport.esc(out.path("summary").asText())).append("</p>");
        if (out.path("shuffled_labels").path("epochs").size() > 0) {
            h.append("<h2>Shuffled labels: learning curves</h2>").append(HtmlReport.learningCurve(out.path("shuffled_labels").path("epochs")));
            h.append("<h2>Real labels: learning curves</h2>").append(HtmlReport.learningCurve(out.path("real_labels").path("epochs")));
        }
        return h.append("</body></html>\n").toString();
    }
}
