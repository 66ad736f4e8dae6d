package dev.trainyard.prep.common;

import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/**
 * Writes a dataset with large numeric array columns (feature vectors) to Parquet cheaply. Two
 * settings halve the CPU cost of writing 100-float vectors (docs/benchmarks.md):
 * <ul>
 *   <li>arrays of non-null elements in Parquet's two-level list layout (a repeated primitive
 *   column) instead of the three-level one, which starts and ends a group for every element;
 *   Spark, Arrow and Trino read both, and Spark reads them back as the same array type;</li>
 *   <li>no dictionary for the vector columns: real-valued vectors rarely repeat, so the writer
 *   filled a dictionary only to fall back to plain encoding.</li>
 * </ul>
 * The list layout is a session setting Spark reads when the write starts, so it is set for the
 * one write and restored.
 */
public final class VectorParquet {
    static final String LEGACY_LAYOUT = "spark.sql.parquet.writeLegacyFormat";

    private VectorParquet() {
    }

    public static void write(SparkSession spark, Dataset<Row> data, List<String> vectorColumns, String path) {
        DataFrameWriter<Row> writer = data.write();
        for (String c : vectorColumns) {
            // the leaf of a two-level list of non-null elements is <column>.array
            writer = writer.option("parquet.enable.dictionary#" + c + ".array", "false");
        }
        String before = spark.conf().get(LEGACY_LAYOUT, "false");
        spark.conf().set(LEGACY_LAYOUT, "true");
        try {
            writer.parquet(path);
        } finally {
            spark.conf().set(LEGACY_LAYOUT, before);
        }
    }
}
