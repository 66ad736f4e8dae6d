package dev.trainyard.prep.common;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which writer a prep job uses for its Parquet tables. With the column-wise one, question prep
 * with given word vectors runs no Spark SQL at all, so a fresh JVM never sets up Catalyst.
 */
public enum ParquetWriterKind {
    /** {@link ColumnarParquetWriter}: arrays copied in bulk (the default). */
    COLUMNAR,
    /** Spark's DataFrame writer (parquet-mr's record writer): a value at a time. */
    SPARK;

    /** Writes {@code rows} (values in {@code schema}'s order) to the new directory {@code dir}. */
    public void write(SparkSession spark, JavaRDD<Object[]> rows, StructType schema, String dir) {
        if (this == COLUMNAR) {
            ColumnarParquetOutputFormat.save(spark, rows, schema, dir);
        } else {
            spark.createDataFrame(rows.map(RowFactory::create), schema).write().parquet(dir);
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ParquetWriterKind fromCli(String name) {
        for (ParquetWriterKind k : values()) {
            if (k.cliName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("--parquet-writer must be one of "
                + Arrays.stream(values()).map(ParquetWriterKind::cliName).collect(Collectors.joining(", ")) + ", got " + name);
    }
}
