package dev.trainyard.ml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.eval.DecisionRule;
import dev.trainyard.eval.PairScorer;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.FittedText;
import dev.trainyard.prep.text.TextFitter;
import dev.trainyard.train.ModelDir;
import dev.trainyard.train.PairExample;
import dev.trainyard.train.PairFeatures;
import dev.trainyard.zoo.io.ModelFiles;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A Siamese duplicate-question model as a Spark ML model. Reads two question columns: raw text ({@code inputMode}
 * "text", the default), turned into features with the text fit the model was trained on, exactly as
 * {@code prep pairs} does; or a prep output's feature columns ("features"). Appends the probability of
 * "duplicate", the decision under the model's recorded {@link DecisionRule}, and the network's raw output: the
 * distance (distance head) or the logit (classifier head). A row with a missing question gets nulls.
 */
public final class SiameseModel extends TrainyardModel<SiameseModel> {
    public static final String TEXT = "text";
    public static final String FEATURES = "features";
    private static final int BATCH = 512;
    private static final String TEXT_FIT = "text-fit";

    private final byte[] network;
    private final SiameseSpec spec;
    private final DecisionRule rule;
    private final FittedText text;
    /** The prep output whose artifacts/ hold the text fit, or why there is none. */
    private final String textFitDir;
    private final String textFitProblem;
    private final Param<String> question1Col;
    private final Param<String> question2Col;
    private final Param<String> inputMode;
    private final Param<String> rawCol;
    private transient Broadcast<Scoring> shipped;

    private SiameseModel(String uid, ModelSource source, byte[] network, SiameseSpec spec, DecisionRule rule, FittedText text,
                         String textFitDir, String textFitProblem) {
        super(uid, source);
        this.network = network;
        this.spec = spec;
        this.rule = rule;
        this.text = text;
        this.textFitDir = textFitDir;
        this.textFitProblem = textFitProblem;
        this.question1Col = new Param<>(uid, "question1Col", "input column: the first question (text, or its features)");
        this.question2Col = new Param<>(uid, "question2Col", "input column: the second question (text, or its features)");
        this.inputMode = new Param<>(uid, "inputMode", "text: raw questions, transformed with the model's text fit; "
                + "features: a prep output's vector or token-id columns");
        this.rawCol = new Param<>(uid, "rawCol", "output column: the network's distance (distance head) or logit (classifier head)");
        setDefault(question1Col, "question1");
        setDefault(question2Col, "question2");
        setDefault(inputMode, TEXT);
        setDefault(rawCol, distance() ? "distance" : "logit");
    }

    static SiameseModel create(SparkSession spark, ModelSource source, String fitFrom) {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        ModelDir dir = source.modelDir(storage);
        String prepDir = fitFrom != null ? Storage.stripSlash(fitFrom) : trainingPrep(dir);
        return build(spark, org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("siamese"), source, storage, dir, prepDir,
                fitFrom != null ? "--fit-from " + fitFrom : "the model's training data " + prepDir);
    }

    static SiameseModel restore(SparkSession spark, String uid, ModelSource source, String path) {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        return build(spark, uid, source, storage, source.modelDir(storage), path + "/" + TEXT_FIT, "the saved model " + path);
    }

    private static SiameseModel build(SparkSession spark, String uid, ModelSource source, Storage storage, ModelDir dir,
                                      String prepDir, String fitOrigin) {
        SiameseSpec spec = dir.spec(SiameseSpec.class);
        if (!dir.has(DecisionRule.FILE)) {
            throw new IllegalArgumentException("model " + source.dir() + " has no " + DecisionRule.FILE
                    + " (its decision threshold): train it again with this Trainyard");
        }
        DecisionRule rule = DecisionRule.fromJson(dir.readJson(DecisionRule.FILE));
        FittedText text = null;
        String problem = null;
        if (prepDir != null && storage.exists(prepDir + "/" + TextFitter.ARTIFACTS + "/fit.json")) {
            text = TextFitter.load(spark, prepDir).text();
            if (!spec.readsTokens() && text.dim() != spec.inputDim()) {
                throw new IllegalArgumentException("model " + source.dir() + " reads " + spec.inputDim() + "-dimensional vectors but the "
                        + "text fit of " + fitOrigin + " makes " + text.dim() + "-dimensional ones");
            }
        } else {
            problem = "model " + source.dir() + " scores raw text with the text fit of " + fitOrigin + ", which is missing ("
                    + prepDir + "/" + TextFitter.ARTIFACTS + "/fit.json); pass the prep output it was trained on with --fit-from, "
                    + "or score prepared data (inputMode 'features')";
        }
        return new SiameseModel(uid, source, ModelFiles.toBytes(dir.readModel()), spec, rule, text, text == null ? null : prepDir, problem);
    }

    /** The prep output the model was trained on, from its manifest (its dataset metadata names where the fit's artifacts are). */
    private static String trainingPrep(ModelDir dir) {
        JsonNode details = dir.readJson(ModelDir.MANIFEST).path("data").path("details");
        String artifacts = details.path("artifacts").asText("");
        String suffix = "/" + TextFitter.ARTIFACTS;
        return artifacts.endsWith(suffix) ? artifacts.substring(0, artifacts.length() - suffix.length()) : null;
    }

    public static MLReader<SiameseModel> read() {
        return reader(SiameseModel.class);
    }

    public static SiameseModel load(String path) {
        return read().load(path);
    }

    public Param<String> question1Col() {
        return question1Col;
    }

    public Param<String> question2Col() {
        return question2Col;
    }

    public Param<String> inputMode() {
        return inputMode;
    }

    public Param<String> rawCol() {
        return rawCol;
    }

    public SiameseModel setQuestion1Col(String name) {
        set(question1Col, name);
        return this;
    }

    public SiameseModel setQuestion2Col(String name) {
        set(question2Col, name);
        return this;
    }

    public SiameseModel setInputMode(String mode) {
        if (!TEXT.equals(mode) && !FEATURES.equals(mode)) {
            throw new IllegalArgumentException("inputMode must be 'text' or 'features', got '" + mode + "'");
        }
        set(inputMode, mode);
        return this;
    }

    public SiameseModel setRawCol(String name) {
        set(rawCol, name);
        return this;
    }

    public SiameseSpec spec() {
        return spec;
    }

    public DecisionRule decisionRule() {
        return rule;
    }

    private boolean distance() {
        return spec.head() == SiameseSpec.Head.DISTANCE;
    }

    private boolean textInput() {
        return TEXT.equals(getOrDefault(inputMode));
    }

    @Override
    protected void requireInputs(StructType schema) {
        DataType type = textInput() ? DataTypes.StringType
                : DataTypes.createArrayType(PairFeatures.of(spec).tokens() ? DataTypes.IntegerType : DataTypes.FloatType);
        requireColumn(schema, getOrDefault(question1Col), type, "question1Col");
        requireColumn(schema, getOrDefault(question2Col), type, "question2Col");
        if (textInput() && text == null) {
            throw new IllegalArgumentException(textFitProblem);
        }
    }

    @Override
    protected List<StructField> outputFields() {
        return List.of(DataTypes.createStructField(getProbabilityCol(), DataTypes.DoubleType, true),
                DataTypes.createStructField(getPredictionCol(), DataTypes.IntegerType, true),
                DataTypes.createStructField(getOrDefault(rawCol), DataTypes.DoubleType, true));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        int q1 = dataset.schema().fieldIndex(getOrDefault(question1Col));
        int q2 = dataset.schema().fieldIndex(getOrDefault(question2Col));
        boolean fromText = textInput();
        Broadcast<Scoring> scoring = shipped(dataset.sparkSession());
        return AppendColumns.apply(dataset, out, BATCH, () -> {
            Scoring s = scoring.value();
            ComputationGraph net = RestoredPerThread.get(s, () -> ModelFiles.readGraph(s.network, "the broadcast Siamese model", false));
            return batch -> s.score(net, batch, q1, q2, fromText);
        });
    }

    /** The model's files, shipped to each executor once per model (a broadcast), not with every task. */
    private synchronized Broadcast<Scoring> shipped(SparkSession spark) {
        if (shipped == null) {
            shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new Scoring(network, PairFeatures.of(spec),
                    fromText() ? text : null, SiameseNetwork.higherMeansDuplicate(spec.head()), distance(), rule.threshold(),
                    rule.platt() == null ? Double.NaN : rule.platt().a(), rule.platt() == null ? Double.NaN : rule.platt().b()));
        }
        return shipped;
    }

    private boolean fromText() {
        return text != null;
    }

    @Override
    protected void saveExtra(Storage storage, String path) {
        if (text != null) {
            copyTree(storage, textFitDir + "/" + TextFitter.ARTIFACTS, path + "/" + TEXT_FIT + "/" + TextFitter.ARTIFACTS);
        }
    }

    @Override
    public SiameseModel copy(ParamMap extra) {
        return copyValues(new SiameseModel(uid(), source(), network, spec, rule, text, textFitDir, textFitProblem), extra);
    }

    /** What the executors need to score pairs; each executor thread restores the network once ({@link RestoredPerThread}). */
    static final class Scoring implements Serializable {
        private static final long serialVersionUID = 1L;
        final byte[] network;
        final PairFeatures features;
        final FittedText text;
        final boolean higherIsDuplicate;
        final boolean distance;
        final double threshold;
        final double plattA;
        final double plattB;

        Scoring(byte[] network, PairFeatures features, FittedText text, boolean higherIsDuplicate, boolean distance, double threshold,
                double plattA, double plattB) {
            this.network = network;
            this.features = features;
            this.text = text;
            this.higherIsDuplicate = higherIsDuplicate;
            this.distance = distance;
            this.threshold = threshold;
            this.plattA = plattA;
            this.plattB = plattB;
        }

        /** Each row's probability, decision and distance (or logit); nulls for a row missing a question. */
        List<Object[]> score(ComputationGraph net, List<InternalRow> batch, int q1, int q2, boolean fromText) {
            List<PairExample> examples = new ArrayList<>(batch.size());
            for (InternalRow r : batch) {
                if (!r.isNullAt(q1) && !r.isNullAt(q2)) {
                    examples.add(fromText ? features.fromText("", r.getUTF8String(q1).toString(), r.getUTF8String(q2).toString(), text)
                            : features.tokens() ? features.fromTokenIds(r.getArray(q1).toIntArray(), r.getArray(q2).toIntArray())
                            : features.fromVectors(r.getArray(q1).toFloatArray(), r.getArray(q2).toFloatArray()));
                }
            }
            double[] scores = examples.isEmpty() ? new double[0] : PairScorer.scores(net, features, examples, higherIsDuplicate);
            List<Object[]> out = new ArrayList<>(batch.size());
            int next = 0;
            for (InternalRow r : batch) {
                if (r.isNullAt(q1) || r.isNullAt(q2)) {
                    out.add(new Object[3]);
                    continue;
                }
                double score = scores[next++];
                double p = Double.isNaN(plattA) ? score : 1 / (1 + Math.exp(-(plattA * score + plattB)));
                out.add(new Object[]{p, score >= threshold ? 1 : 0, distance ? -score : Math.log(score / (1 - score))});
            }
            return out;
        }
    }
}
