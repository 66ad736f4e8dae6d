package dev.trainyard.prep.text;

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

import java.util.List;
import java.util.Map;

/** Columns of the prepared question-pair dataset, and its schema version. */
public final class PairSchema {
    /** Bump on any change of columns or their meaning; readers refuse other versions. */
    public static final int VERSION = 1;
    public static final String DATASET_KIND = "question-pairs";

    public static final String PAIR_ID = "pair_id";
    public static final String SOURCE_FILE = "source_file";
    public static final String SOURCE_ROW = "source_row";
    public static final String SPLIT = "split";
    public static final String LABEL = "label";
    public static final String QUESTION1 = "question1";
    public static final String QUESTION2 = "question2";
    public static final String Q1_VECTOR = "q1_vector";
    public static final String Q2_VECTOR = "q2_vector";
    public static final String Q1_TOKEN_IDS = "q1_token_ids";
    public static final String Q2_TOKEN_IDS = "q2_token_ids";

    /** Real-valued vector columns (written without a dictionary; see VectorParquet). */
    public static final List<String> VECTOR_COLUMNS = List.of(Q1_VECTOR, Q2_VECTOR);
    /** Columns whose values are nearly all distinct (written without a dictionary too). */
    public static final List<String> DISTINCT_COLUMNS = List.of(PAIR_ID, QUESTION1, QUESTION2);

    public static final StructType STRUCT = new StructType(new StructField[]{
            field(PAIR_ID, DataTypes.StringType, false),
            field(SOURCE_FILE, DataTypes.StringType, false),
            field(SOURCE_ROW, DataTypes.LongType, false),
            field(SPLIT, DataTypes.StringType, false),
            field(LABEL, DataTypes.IntegerType, true),
            field(QUESTION1, DataTypes.StringType, false),
            field(QUESTION2, DataTypes.StringType, false),
            field(Q1_VECTOR, DataTypes.createArrayType(DataTypes.FloatType, false), false),
            field(Q2_VECTOR, DataTypes.createArrayType(DataTypes.FloatType, false), false),
            field(Q1_TOKEN_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            field(Q2_TOKEN_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
    });

    /** What each column holds, for docs/data-schemas.md. */
    public static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(PAIR_ID, "the pair's id from the input (unique within the dataset; a repeat is quarantined `duplicate_id`)"),
            Map.entry(SOURCE_FILE, "the input file the pair was read from"),
            Map.entry(SOURCE_ROW, "its line number in that file (header = 1); for Kaggle CSV, its data-record number"),
            Map.entry(SPLIT, "`train`, `dev` or `test`: a seeded hash of the pair id against the `--split` fractions (or `test` for every pair)"),
            Map.entry(LABEL, "1 duplicate, 0 not; null for unlabelled pairs (they are never trained or evaluated on)"),
            Map.entry(QUESTION1, "the first question, cleaned (Unicode NFKC, lower case, whitespace collapsed)"),
            Map.entry(QUESTION2, "the second question, cleaned the same way"),
            Map.entry(Q1_VECTOR, "TF-IDF-weighted mean of the first question's word vectors; `feature_dim` floats"),
            Map.entry(Q2_VECTOR, "the same for the second question"),
            Map.entry(Q1_TOKEN_IDS, "the first question's tokens as vocabulary ids (0 padding, 1 out of vocabulary, words from 2)"),
            Map.entry(Q2_TOKEN_IDS, "the same for the second question"));

    /** One row by name; {@link #values()} is the row in {@link #STRUCT}'s column order, as prep writes it. */
    public record Pair(String pairId, String sourceFile, long sourceRow, String split, Integer label, String question1,
                       String question2, float[] q1Vector, float[] q2Vector, int[] q1TokenIds, int[] q2TokenIds) {
        public Object[] values() {
            return new Object[]{pairId, sourceFile, sourceRow, split, label, question1, question2, q1Vector, q2Vector, q1TokenIds,
                    q2TokenIds};
        }
    }

    /**
     * What {@code prep pairs} records about a dataset (its {@code _dataset.json}), typed.
     *
     * @param vocabularySize words in the fitted vocabulary (token ids run up to this + 1)
     * @param artifacts      where the fit (vocabulary, IDF, vectors) is
     * @param json           the whole metadata, as model manifests record it
     */
    public record Meta(String dataset, int featureDim, int vocabularySize, String artifacts, Map<String, Long> rowsBySplit,
                       JsonNode json) {
        public long rows(String split) {
            return rowsBySplit.getOrDefault(split, 0L);
        }
    }

    /** Reads and checks a dataset's metadata: kind, schema version, and the fields readers use. */
    public static Meta meta(Storage storage, String dataset) {
        var json = DatasetMetadata.require(storage, dataset, DATASET_KIND, VERSION);
        var d = json.path("details");
        return new Meta(dataset, (int) DatasetMetadata.requireNumber(d, "feature_dim", dataset),
                (int) DatasetMetadata.requireNumber(d, "vocabulary_size", dataset),
                d.path("artifacts").asText(""), DatasetMetadata.counts(d, "rows_by_split"), json);
    }

    /**
     * One split, its columns checked against {@link #STRUCT}. Call {@link #meta} first: this does
     * not read the metadata again.
     */
    public static Dataset<Row> read(SparkSession spark, String dataset,
                                                                            String split) {
        return DatasetMetadata.readChecked(spark, dataset, split, DATASET_KIND, VERSION, STRUCT);
    }

    private PairSchema() {
    }

    static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }
}
