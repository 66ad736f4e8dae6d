package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.SparkProgress;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.SplitAssigner;
import dev.trainyard.report.HtmlReport;
import dev.trainyard.train.ModelDir;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Arrays;

/**
 * Evaluates a trained Siamese model: scores dev and the reported split on Spark, takes the decision
 * threshold (and, for the distance head, a Platt calibration) from the data's dev split or the rule
 * recorded in the model ({@link #rule}), and reports accuracy, precision, recall, F1, ROC AUC, log
 * loss and the confusion matrix beside the reported split's own majority-class baseline. Writes
 * JSON and an HTML report.
 */
public final class EvaluateJob {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.evaluate");

    private EvaluateJob() {
    }

    /** The data's vectors (and, for a sequence encoder, its vocabulary) must be the ones the model was trained on. */
    static void requireFits(Storage storage, SiameseSpec spec, String model, String data) {
        PairSchema.Meta meta = PairSchema.meta(storage, data);
        int dim = meta.featureDim();
        if (dim != spec.inputDim()) {
            throw new IllegalArgumentException("model " + model + " reads " + spec.inputDim() + "-dimensional question vectors but "
                    + data + " has " + dim + "-dimensional ones; prep the data with --fit-from the model's training data");
        }
        int rows = meta.vocabularySize() + 2;
        if (spec.readsTokens() && rows > spec.encoder().vocabulary()) {
            throw new IllegalArgumentException("model " + model + " embeds " + spec.encoder().vocabulary() + " token ids but " + data
                    + " uses up to " + rows + "; prep the data with --fit-from the model's training data");
        }
    }

    public static ObjectNode run(SparkSession spark, EvaluateConfig cfg) {
        SparkProgress.register(spark.sparkContext());
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        ModelDir modelDir = new ModelDir(storage, cfg.model());
        ComputationGraph net = modelDir.readModel();
        SiameseSpec spec = modelDir.spec(SiameseSpec.class);

        requireFits(storage, spec, cfg.model(), cfg.data());
        PairScorer.Scored reported = PairScorer.score(spark, net, spec, cfg.data(), cfg.split());
        if (reported.size() == 0) {
            throw new IllegalArgumentException("split '" + cfg.split() + "' of " + cfg.data() + " has no labeled pairs to evaluate");
        }
        PairScorer.Scored dev = PairScorer.score(spark, net, spec, cfg.data(), SplitAssigner.DEV);
        boolean distance = spec.head() == SiameseSpec.Head.DISTANCE;
        Rule rule = rule(cfg, modelDir, dev, distance);
        double threshold = rule.decision().threshold();
        PlattScaling platt = rule.decision().platt();
        BinaryMetrics test = BinaryMetrics.of(reported.scores(), reported.labels(), threshold, DecisionRule.probabilities(reported, platt));
        BinaryMetrics onDev = dev.size() == 0 ? null : BinaryMetrics.of(dev.scores(), dev.labels(), threshold, DecisionRule.probabilities(dev, platt));

        JsonNode manifest = modelDir.readJson(ModelDir.MANIFEST);
        ObjectNode trainCounts = (ObjectNode) manifest.path("data").path("details").path("rows_by_split");
        ObjectNode out = Json.object();
        out.put("model", cfg.model());
        out.put("data", cfg.data());
        out.put("split", cfg.split());
        out.put("evaluated_at", Instant.now().toString());
        out.put("head", spec.head().name().toLowerCase(java.util.Locale.ROOT));
        ObjectNode th = out.putObject("threshold");
        th.put("value", distance ? -threshold : threshold);
        th.put("meaning", distance ? "duplicate when distance < value" : "duplicate when probability >= value");
        th.put("chosen_on", rule.decision().chosenOn());
        th.put("source", rule.source());
        th.put("from", rule.describe());
        out.set("metrics", toJson(test));
        if (onDev != null) {
            out.set("dev_metrics", toJson(onDev));
        }
        out.set("baseline", baseline(reported));
        ObjectNode cal = out.putObject("calibration");
        cal.put("method", distance ? "platt scaling of -distance, fitted on " + rule.describe() : "network sigmoid output");
        if (platt != null) {
            cal.put("a", platt.a());
            cal.put("b", platt.b());
        }
        out.set("training_rows_by_split", trainCounts);
        PairScorer.Scored train = onDev == null ? null : PairScorer.score(spark, net, spec, cfg.data(), SplitAssigner.TRAIN);
        if (train != null && train.size() > 0) {
            out.set("diagnosis", diagnosis(cfg, train, threshold, platt, onDev, test, out.path("baseline")));
        } else {
            LOG.info("no diagnosis: {} lacks labelled train or dev pairs to compare the reported split with", cfg.data());
        }
        storage.writeText(cfg.output(), Json.write(out));
        String html = HtmlReport.pathBeside(cfg.output());
        storage.writeText(html, HtmlReport.render(out, modelDir.epochs(), manifest));
        LOG.info(String.format("%s: accuracy %.4f (majority baseline %.4f), F1 %.4f, ROC AUC %.4f, log loss %.4f -> %s, %s",
                cfg.split(), test.accuracy(), out.path("baseline").path("accuracy").asDouble(), test.f1(), test.rocAuc(),
                test.logLoss(), cfg.output(), html));
        return out;
    }

    /** Errors at the chosen threshold on train, dev and the reported split, against the reference. */
    private static ObjectNode diagnosis(EvaluateConfig cfg, PairScorer.Scored train, double threshold, PlattScaling platt,
                                        BinaryMetrics dev, BinaryMetrics reported, JsonNode baseline) {
        double trainError = 1 - BinaryMetrics.of(train.scores(), train.labels(), threshold, DecisionRule.probabilities(train, platt)).accuracy();
        boolean given = cfg.referenceError() != null;
        double reference = given ? cfg.referenceError() : 1 - baseline.path("accuracy").asDouble();
        return Diagnosis.of(trainError, 1 - dev.accuracy(), 1 - reported.accuracy(), reference,
                given ? "--reference-error" : "majority-class baseline (no --reference-error given)");
    }

    /** The decision rule an evaluation uses, and where it came from: "dev", "model" or "value". */
    record Rule(DecisionRule decision, String source) {
        String describe() {
            return switch (source) {
                case "dev" -> "dev split of the evaluated data";
                case "model" -> "the model's recorded rule (" + decision.chosenOn() + " split of " + decision.data() + ")";
                default -> "--threshold-from " + decision.data();
            };
        }
    }

    /**
     * Where the threshold comes from ({@link EvaluateConfig#thresholdFrom()}); never chosen on an
     * empty set: without dev pairs and without a recorded rule the evaluation is refused.
     */
    static Rule rule(EvaluateConfig cfg, ModelDir modelDir, PairScorer.Scored dev, boolean distance) {
        java.util.Optional<DecisionRule> recorded = modelDir.has(DecisionRule.FILE)
                ? java.util.Optional.of(DecisionRule.fromJson(modelDir.readJson(DecisionRule.FILE))) : java.util.Optional.empty();
        String from = cfg.thresholdFrom();
        if (from.equals("auto")) {
            from = dev.size() > 0 ? "dev" : "model";
            if (dev.size() == 0 && recorded.isEmpty()) {
                throw new IllegalArgumentException(cfg.data() + " has no labelled dev pairs to choose a decision threshold on, and "
                        + cfg.model() + " records no decision rule (" + DecisionRule.FILE + "); pass --threshold-from VALUE");
            }
        }
        switch (from) {
            case "dev" -> {
                if (dev.size() == 0) {
                    throw new IllegalArgumentException(cfg.data() + " has no labelled dev pairs to choose a decision threshold on; "
                            + "use --threshold-from model or a value");
                }
                return new Rule(DecisionRule.choose(dev, distance, SplitAssigner.DEV, cfg.data()), "dev");
            }
            case "model" -> {
                return new Rule(recorded.orElseThrow(() -> new IllegalArgumentException(cfg.model() + " records no decision rule ("
                        + DecisionRule.FILE + "; models trained by 'trainyard train siamese' have one); use --threshold-from dev or a value")),
                        "model");
            }
            default -> {
                double v = EvaluateConfig.given(from);
                // a distance threshold reads "duplicate when distance < v"; scores are minus the distance
                double threshold = distance ? -v : v;
                PlattScaling platt = !distance ? null : recorded.map(DecisionRule::platt)
                        .orElseGet(() -> dev.size() > 0 ? PlattScaling.fit(dev.scores(), dev.labels()) : null);
                if (distance && platt == null) {
                    throw new IllegalArgumentException("--threshold-from " + from + ": probabilities of a distance head need a calibration, "
                            + "and neither " + cfg.model() + " records one nor has " + cfg.data() + " labelled dev pairs");
                }
                return new Rule(new DecisionRule(threshold, platt, "given", from, 0, Double.NaN), "value");
            }
        }
    }

    /** Predict the evaluated split's own majority class for everything (and its share of duplicates as the probability). */
    private static ObjectNode baseline(PairScorer.Scored reported) {
        long n = reported.size();
        long pos = Arrays.stream(reported.labels()).filter(l -> l == 1).count();
        int majority = pos * 2 > n ? 1 : 0;
        double prior = (double) pos / n;
        long correct = Arrays.stream(reported.labels()).filter(l -> l == majority).count();
        double[] p = new double[reported.size()];
        Arrays.fill(p, prior);
        ObjectNode b = Json.object();
        b.put("kind", "majority class of the evaluated split");
        b.put("majority_class", majority);
        b.put("accuracy", (double) correct / reported.size());
        b.put("log_loss", BinaryMetrics.logLoss(p, reported.labels()));
        b.put("positive_rate_train", prior);
        return b;
    }

    static ObjectNode toJson(BinaryMetrics m) {
        ObjectNode o = Json.object();
        o.put("examples", m.examples());
        o.put("accuracy", m.accuracy());
        o.put("precision", m.precision());
        o.put("recall", m.recall());
        o.put("f1", m.f1());
        o.put("roc_auc", m.rocAuc());
        o.put("log_loss", m.logLoss());
        ObjectNode c = o.putObject("confusion");
        c.put("true_positive", m.tp());
        c.put("false_positive", m.fp());
        c.put("true_negative", m.tn());
        c.put("false_negative", m.fn());
        return o;
    }

}
