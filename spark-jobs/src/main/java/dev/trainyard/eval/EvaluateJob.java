package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.SparkProgress;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.SplitAssigner;
import dev.trainyard.train.PairBatches;
import dev.trainyard.report.HtmlReport;
import dev.trainyard.train.ModelDir;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Arrays;

import static org.apache.spark.sql.functions.col;

/**
 * Evaluates a trained Siamese model: scores dev and the reported split on Spark, chooses the
 * decision threshold (and, for the distance head, a Platt calibration) on dev only, and reports
 * accuracy, precision, recall, F1, ROC AUC, log loss and the confusion matrix beside the
 * majority-class baseline of the training split. Writes JSON and an HTML report.
 */
public final class EvaluateJob {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.evaluate");

    private EvaluateJob() {
    }

    /** The data's vectors (and, for a sequence encoder, its vocabulary) must be the ones the model was trained on. */
    static void requireFits(SparkSession spark, SiameseSpec spec, String model, String data) {
        PairSchema.Meta meta = PairSchema.meta(new Storage(spark.sparkContext().hadoopConfiguration()), data);
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
        ModelDir modelDir = new ModelDir(new Storage(spark.sparkContext().hadoopConfiguration()), cfg.model());
        ComputationGraph net = modelDir.readModel();
        SiameseSpec spec = modelDir.spec(SiameseSpec.class);

        requireFits(spark, spec, cfg.model(), cfg.data());
        PairScorer.Scored reported = PairScorer.score(spark, net, spec, cfg.data(), cfg.split());
        if (reported.size() == 0) {
            throw new IllegalArgumentException("split '" + cfg.split() + "' of " + cfg.data() + " has no labeled pairs to evaluate");
        }
        PairScorer.Scored dev = PairScorer.score(spark, net, spec, cfg.data(), SplitAssigner.DEV);
        String chosenOn = SplitAssigner.DEV;
        if (dev.size() == 0) {
            LOG.warn("{} has no labeled dev pairs: choosing the threshold on the training split", cfg.data());
            dev = PairScorer.score(spark, net, spec, cfg.data(), SplitAssigner.TRAIN);
            chosenOn = SplitAssigner.TRAIN;
        }
        double threshold = BinaryMetrics.bestThreshold(dev.scores(), dev.labels());
        boolean distance = spec.head() == SiameseSpec.Head.DISTANCE;
        PlattScaling platt = distance ? PlattScaling.fit(dev.scores(), dev.labels()) : null;
        BinaryMetrics test = BinaryMetrics.of(reported.scores(), reported.labels(), threshold, probabilities(reported, platt));
        BinaryMetrics onDev = BinaryMetrics.of(dev.scores(), dev.labels(), threshold, probabilities(dev, platt));

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
        th.put("chosen_on", chosenOn);
        out.set("metrics", toJson(test));
        out.set("dev_metrics", toJson(onDev));
        out.set("baseline", baseline(spark, cfg, reported));
        ObjectNode cal = out.putObject("calibration");
        cal.put("method", distance ? "platt scaling of -distance, fitted on " + chosenOn : "network sigmoid output");
        if (platt != null) {
            cal.put("a", platt.a());
            cal.put("b", platt.b());
        }
        out.set("training_rows_by_split", trainCounts);
        out.set("diagnosis", diagnosis(spark, cfg, net, spec, threshold, platt, onDev, test, out.path("baseline")));
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        storage.writeText(cfg.output(), Json.write(out));
        String html = HtmlReport.pathBeside(cfg.output());
        storage.writeText(html, HtmlReport.render(out, modelDir.epochs(), manifest));
        LOG.info(String.format("%s: accuracy %.4f (majority baseline %.4f), F1 %.4f, ROC AUC %.4f, log loss %.4f -> %s, %s",
                cfg.split(), test.accuracy(), out.path("baseline").path("accuracy").asDouble(), test.f1(), test.rocAuc(),
                test.logLoss(), cfg.output(), html));
        return out;
    }

    /** Errors at the chosen threshold on train, dev and the reported split, against the reference. */
    private static ObjectNode diagnosis(SparkSession spark, EvaluateConfig cfg, ComputationGraph net, SiameseSpec spec, double threshold,
                                        PlattScaling platt, BinaryMetrics dev, BinaryMetrics reported, JsonNode baseline) {
        PairScorer.Scored train = PairScorer.score(spark, net, spec, cfg.data(), SplitAssigner.TRAIN);
        double trainError = 1 - BinaryMetrics.of(train.scores(), train.labels(), threshold, probabilities(train, platt)).accuracy();
        boolean given = cfg.referenceError() != null;
        double reference = given ? cfg.referenceError() : 1 - baseline.path("accuracy").asDouble();
        return Diagnosis.of(trainError, 1 - dev.accuracy(), 1 - reported.accuracy(), reference,
                given ? "--reference-error" : "majority-class baseline (no --reference-error given)");
    }

    private static double[] probabilities(PairScorer.Scored s, PlattScaling platt) {
        return platt == null ? s.scores().clone() : Arrays.stream(s.scores()).map(platt::probability).toArray();
    }

    /** Predict the training split's majority class for everything. */
    private static ObjectNode baseline(SparkSession spark, EvaluateConfig cfg, PairScorer.Scored reported) {
        Dataset<Row> train = PairSchema.read(spark, cfg.data(), SplitAssigner.TRAIN).filter(col(PairSchema.LABEL).isNotNull());
        long n = train.count();
        long pos = n == 0 ? 0 : train.filter(col(PairSchema.LABEL).equalTo(1)).count();
        int majority = pos * 2 > n ? 1 : 0;
        double prior = n == 0 ? 0.5 : (double) pos / n;
        long correct = Arrays.stream(reported.labels()).filter(l -> l == majority).count();
        double[] p = new double[reported.size()];
        Arrays.fill(p, prior);
        ObjectNode b = Json.object();
        b.put("kind", "majority class of the training split");
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
