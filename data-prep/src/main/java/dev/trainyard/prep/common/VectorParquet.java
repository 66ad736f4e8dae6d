package dev.trainyard.prep.common;

import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.function.Supplier;

/**
 * Writes datasets with large numeric array columns (feature vectors) to Parquet cheaply. Writing
 * 100-float vectors was 40% of question prep's CPU in JFR profiles before these two settings
 * (docs/benchmarks.md):
 * <ul>
 *   <li>arrays of non-null elements in Parquet's two-level list layout (a repeated primitive
 *   column) instead of the three-level one, which starts and ends a group for every element;
 *   Spark, Arrow and Trino read both, and Spark reads them back as the same array type;</li>
 *   <li>no dictionary for the vector columns: real-valued vectors rarely repeat, so the writer
 *   filled a dictionary only to fall back to plain encoding; the same holds for columns whose
 *   values are (nearly) all distinct, such as ids and free text.</li>
 * </ul>
 * The list layout is a session setting Spark reads when a write starts, so it is set around a
 * block of writes (which may run concurrently) and restored after.
 */
public final class VectorParquet {
    static final String LEGACY_LAYOUT = "spark.sql.parquet.writeLegacyFormat";
    private static final String NO_DICTIONARY = "parquet.enable.dictionary#";

    private VectorParquet() {
    }

    /** A writer for {@code data} with no dictionary on the vector columns and on the columns of distinct values. */
    public static DataFrameWriter<Row> writer(Dataset<Row> data, List<String> vectorColumns, List<String> distinctColumns) {
        DataFrameWriter<Row> writer = data.write();
        for (String c : vectorColumns) {
            // the leaf of a two-level list of non-null elements is <column>.array
            writer = writer.option(NO_DICTIONARY + c + ".array", "false");
        }
        for (String c : distinctColumns) {
            writer = writer.option(NO_DICTIONARY + c, "false");
        }
        return writer;
    }

    /** Runs {@code writes} with arrays written as two-level lists; the session's setting is restored after. */
    public static <T> T withTwoLevelLists(SparkSession spark, Supplier<T> writes) {
        String before = spark.conf().get(LEGACY_LAYOUT, "false");
        spark.conf().set(LEGACY_LAYOUT, "true");
        try {
            return writes.get();
        } finally {
            spark.conf().set(LEGACY_LAYOUT, before);
        }
    }
}
