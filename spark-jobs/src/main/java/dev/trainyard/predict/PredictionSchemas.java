package dev.trainyard.predict;

import dev.trainyard.prep.common.DataSchemasPage;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables {@code trainyard predict} writes, one per model family, for docs/data-schemas.md (the predict tests
 * check the written files have these columns). Every row ends with the model's name, version and family.
 */
public final class PredictionSchemas {
    private static final StructType MODEL = new StructType()
            .add(PredictJob.MODEL_NAME, DataTypes.StringType, false)
            .add(PredictJob.MODEL_VERSION, DataTypes.StringType, false)
            .add(PredictJob.MODEL_FAMILY, DataTypes.StringType, false);
    private static final Map<String, String> MODEL_ABOUT = Map.of(
            PredictJob.MODEL_NAME, "the model's registry name, or its folder's name when it is not registered",
            PredictJob.MODEL_VERSION, "the registry version (`v0001`, ...), or `unregistered`",
            PredictJob.MODEL_FAMILY, "`siamese`, `ensemble` or `besnet`");

    public static final StructType PAIRS = concat(PairPredictions.INPUT
            .add("probability", DataTypes.DoubleType, true)
            .add("prediction", DataTypes.IntegerType, true)
            .add("distance", DataTypes.DoubleType, true));
    public static final StructType IMAGES = concat(new StructType()
            .add("source_file", DataTypes.StringType, false)
            .add("index", DataTypes.LongType, false)
            .add("label", DataTypes.IntegerType, true)
            .add("prediction", DataTypes.IntegerType, true)
            .add("probability", DataTypes.createArrayType(DataTypes.DoubleType, false), true));
    public static final StructType VIDEOS = concat(VideoPredictions.OUTPUT);

    public static final List<DataSchemasPage.Table> TABLES = List.of(
            new DataSchemasPage.Table("Question-pair predictions", "predictions (siamese)", 1, "OUTPUT/predictions/",
                    "Written by `trainyard predict` with a Siamese model.", PAIRS, about(Map.of(
                            "pair_id", "the pair's id from the input (or `file:row` when the layout has none)",
                            "source_file", "the file the pair was read from",
                            "source_row", "its row in that file",
                            "question1", "the first question as given (as prep cleaned it, for a prep output)",
                            "question2", "the second question, the same way",
                            "label", "the input's label when it had one; null otherwise",
                            "probability", "probability of duplicate: the network's, or its distance through the recorded Platt calibration",
                            "prediction", "1 duplicate, 0 not, under the model's recorded decision rule (`decision-rule.json`)",
                            "distance", "the distance head's distance; a classifier-head model writes `logit` here instead"))),
            new DataSchemasPage.Table("Image predictions", "predictions (ensemble)", 1, "OUTPUT/predictions/",
                    "Written by `trainyard predict` with an ensemble.", IMAGES, about(Map.of(
                            "source_file", "the IDX file (or image dataset row's file) the image came from",
                            "index", "its record number in that file (0-based)",
                            "label", "the label file's class when `--labels` was given (or the dataset's); null otherwise",
                            "prediction", "the class under the combiner (`--combiner`, else the ensemble's own)",
                            "probability", "the combined per-class scores (mean: averaged softmax; max: the most confident member's; "
                                    + "vote: share of members)"))),
            new DataSchemasPage.Table("Video predictions", "predictions (besnet)", 1, "OUTPUT/predictions/",
                    "Written by `trainyard predict` with a BesNet model; one row per video.", VIDEOS, about(Map.of(
                            "video_id", "the video's id: the annotation list's, or the file name without extension",
                            "source_path", "the file decoded",
                            "label", "the annotation list's class when it had one; null for a folder of videos",
                            "clips", "clips sampled from it, as the model's training clips were",
                            "prediction", "the class index with the highest mean clip probability",
                            "predicted_label", "that class's name",
                            "probability", "its mean clip probability",
                            "top_k", "the `--top-k` classes by mean clip probability: index, name, probability"))),
            new DataSchemasPage.Table("Prediction quarantine", "quarantine", dev.trainyard.prep.common.QuarantineSchema.VERSION,
                    "OUTPUT/quarantine/", "Inputs `trainyard predict` could not score, with the reason (prep's reasons, and "
                    + "`wrong_size` for an image of another size than the model's). Rows read = predicted + quarantined "
                    + "(`predict-summary.json`).", dev.trainyard.prep.common.QuarantineSchema.STRUCT,
                    dev.trainyard.prep.common.QuarantineSchema.DESCRIPTIONS));

    private PredictionSchemas() {
    }

    private static StructType concat(StructType family) {
        StructType out = family;
        for (var f : MODEL.fields()) {
            out = out.add(f);
        }
        return out;
    }

    private static Map<String, String> about(Map<String, String> family) {
        Map<String, String> out = new LinkedHashMap<>(family);
        out.putAll(MODEL_ABOUT);
        return out;
    }
}
