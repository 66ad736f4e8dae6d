package dev.trainyard.predict;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.ml.SiameseModel;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.ParquetWriterKind;
import dev.trainyard.prep.common.QuarantineSchema;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairPrepConfig;
import dev.trainyard.prep.text.PairPrepJob;
import dev.trainyard.prep.text.PairRecord;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.SplitFractions;
import dev.trainyard.train.ModelDir;
import dev.trainyard.train.PairFeatures;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/**
 * Question pairs to predict: raw files read exactly as {@code prep pairs} reads them (any of its formats, the same
 * rejections, the minimum length the model's training data used), scored from their text; or a prep output,
 * scored from its stored features.
 */
final class PairPredictions {
    /** What a raw pair carries into its prediction row. */
    static final StructType INPUT = new StructType()
            .add(PairSchema.PAIR_ID, DataTypes.StringType, false)
            .add(PairSchema.SOURCE_FILE, DataTypes.StringType, false)
            .add(PairSchema.SOURCE_ROW, DataTypes.LongType, false)
            .add(PairSchema.QUESTION1, DataTypes.StringType, false)
            .add(PairSchema.QUESTION2, DataTypes.StringType, false)
            .add(PairSchema.LABEL, DataTypes.IntegerType, true);

    private PairPredictions() {
    }

    static Prediction predict(SparkSession spark, Storage storage, SiameseModel model, PredictConfig cfg) {
        ObjectNode details = Json.object();
        details.set("decision_rule", model.decisionRule().toJson());
        String[] outputs = {model.getProbabilityCol(), model.getPredictionCol(), model.getOrDefault(model.rawCol())};
        if (cfg.inputs().size() == 1 && Prediction.isDataset(storage, cfg.inputs().get(0))) {
            String data = cfg.inputs().get(0);
            PairSchema.Meta meta = PairSchema.meta(storage, data);
            Dataset<Row> all = null;
            for (String split : meta.rowsBySplit().keySet()) {
                Dataset<Row> s = PairSchema.read(spark, data, split);
                all = all == null ? s : all.unionByName(s);
            }
            if (all == null) {
                throw new IllegalArgumentException(data + " has no rows to predict");
            }
            String[] features = PairFeatures.of(model.spec()).featureColumns();
            Dataset<Row> scored = model.copy(new org.apache.spark.ml.param.ParamMap()).setInputMode(SiameseModel.FEATURES)
                    .setQuestion1Col(features[0]).setQuestion2Col(features[1]).transform(PredictJob.spread(spark, all));
            details.put("input", "prepared features of " + data);
            return new Prediction(scored.select(col(PairSchema.PAIR_ID), col(PairSchema.SOURCE_FILE), col(PairSchema.SOURCE_ROW),
                    col(PairSchema.QUESTION1), col(PairSchema.QUESTION2), col(PairSchema.LABEL),
                    col(outputs[0]), col(outputs[1]), col(outputs[2])),
                    spark.createDataFrame(java.util.List.of(), QuarantineSchema.STRUCT), "pairs", all.count(), Map.of(), details, () -> { });
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int minChars = model.source().modelDir(storage).readJson(ModelDir.MANIFEST).path("data").path("details").path("min_chars").asInt(10);
        PairPrepConfig read = new PairPrepConfig(cfg.inputs(), cfg.format(), cfg.output(), SplitFractions.parse("test"), 42, minChars,
                null, 100, 1, "(the model's)", false, ParquetWriterKind.COLUMNAR);
        JavaRDD<PairRecord> records = PairPrepJob.readRecords(spark, jsc, storage, read);
        Dataset<Row> accepted = spark.createDataFrame(records.filter(r -> !r.rejected()).map(r -> RowFactory.create(r.pairId,
                r.sourceFile, r.sourceRow, r.question1, r.question2, r.label)), INPUT);
        Dataset<Row> quarantine = spark.createDataFrame(records.filter(PairRecord::rejected).map(r -> RowFactory.create(r.sourceFile,
                r.sourceRow, r.reason.column(), r.detail, r.raw)), QuarantineSchema.STRUCT);
        Map<String, Long> perReason = new TreeMap<>(records.filter(PairRecord::rejected).map(r -> r.reason.column()).countByValue());
        details.put("input", "raw " + cfg.format().cliName() + " files, questions as given, shorter than " + minChars
                + " characters quarantined as in training");
        Dataset<Row> scored = model.transform(PredictJob.spread(spark, accepted));
        return new Prediction(scored, quarantine, "pairs", records.count(), perReason, details, () -> records.unpersist(false));
    }
}
