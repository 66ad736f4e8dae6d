package dev.trainyard.prep.text;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

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

    private PairSchema() {
    }

    static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }
}
