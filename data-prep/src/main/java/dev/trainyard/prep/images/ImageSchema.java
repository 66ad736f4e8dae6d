package dev.trainyard.prep.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Storage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Map;
import java.util.Optional;

/** Prepared labelled images, schema version 1: {@code pixels} is height*width unsigned bytes, row by row. */
public final class ImageSchema {
    public static final int VERSION = 1;
    public static final String DATASET_KIND = "labelled-images";
    public static final StructType STRUCT = new StructType(new StructField[]{
            new StructField("source_file", DataTypes.StringType, false, Metadata.empty()),
            new StructField("index", DataTypes.LongType, false, Metadata.empty()),
            new StructField("split", DataTypes.StringType, false, Metadata.empty()),
            new StructField("label", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("height", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("width", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("pixels", DataTypes.BinaryType, false, Metadata.empty()),
    });

    /** What each column holds, for docs/data-schemas.md. */
    public static final Map<String, String> DESCRIPTIONS = Map.of(
            "source_file", "the IDX image file the record was read from",
            "index", "the record's position in that file (0-based)",
            "split", "the `--split` given for the files, or `dev` for the seeded `--dev-fraction` share",
            "label", "the class from the IDX label file",
            "height", "rows of pixels",
            "width", "columns of pixels",
            "pixels", "height*width unsigned bytes, row by row");

    /** What {@code prep images} (or {@code attack fgsm}) records about a dataset, typed; {@code attack} is empty for clean data. */
    public record Meta(String dataset, int numClasses, Map<String, Long> rowsBySplit,
                       Optional<JsonNode> attack, JsonNode json) {
    }

    /** Reads and checks a dataset's metadata: kind, schema version, and the fields readers use. */
    public static Meta meta(Storage storage, String dataset) {
        var json = DatasetMetadata.require(storage, dataset, DATASET_KIND, VERSION);
        var d = json.path("details");
        return new Meta(dataset, (int) DatasetMetadata.requireNumber(d, "num_classes", dataset),
                DatasetMetadata.counts(d, "rows_by_split"),
                d.has("attack") ? Optional.of(d.path("attack")) : Optional.empty(), json);
    }

    /** One split, its columns checked against {@link #STRUCT}; call {@link #meta} first. */
    public static Dataset<Row> read(SparkSession spark, String dataset,
                                                                            String split) {
        return DatasetMetadata.readChecked(spark, dataset, split, DATASET_KIND, VERSION, STRUCT);
    }

    private ImageSchema() {
    }
}
