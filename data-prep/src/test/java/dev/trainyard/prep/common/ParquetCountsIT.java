package dev.trainyard.prep.common;

import dev.trainyard.prep.testing.LocalSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.OptionalLong;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counts read from Parquet footers are the counts Spark reads from the same files. */
class ParquetCountsIT {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, true);
    private final SparkSession spark = LocalSpark.get();

    @Test
    void footerCountsEqualWhatSparkReadsAcrossFilesAndRowGroups(@TempDir Path dir) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(RowFactory.create("p" + i, i % 7 == 0 ? null : i % 2));
        }
        String out = dir.resolve("data").toString();
        // several files, and small row groups, so the counts are summed over both
        spark.createDataFrame(rows, SCHEMA).repartition(3).write().option("parquet.block.size", 1024).parquet(out);

        ParquetCounts counts = ParquetCounts.of(spark.sparkContext().hadoopConfiguration(), out, "label");
        assertEquals(spark.read().parquet(out).count(), counts.rows());
        assertEquals(1000, counts.rows());
        assertEquals(OptionalLong.of(spark.read().parquet(out).filter(col("label").isNull()).count()), counts.nulls());
        assertEquals(OptionalLong.of(143), counts.nulls());
    }

    @Test
    void valueCountsOfAStringColumnEqualSparksGroupByAcrossFiles(@TempDir Path dir) {
        StructType schema = new StructType().add("reason", DataTypes.StringType, true).add("n", DataTypes.IntegerType, false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(RowFactory.create(i % 11 == 0 ? null : "r" + (i % 3), i));
        }
        String out = dir.resolve("q").toString();
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(out);
        Map<String, Long> expected = new TreeMap<>();
        for (Row r : spark.read().parquet(out).groupBy("reason").count().collectAsList()) {
            expected.put(r.isNullAt(0) ? "null" : r.getString(0), r.getLong(1));
        }
        assertEquals(expected, ParquetCounts.valueCounts(spark.sparkContext().hadoopConfiguration(), out, "reason"));
        assertEquals(46L, expected.get("null"));

        String empty = dir.resolve("empty").toString();
        spark.createDataFrame(List.of(), schema).write().parquet(empty);
        assertEquals(Map.of(), ParquetCounts.valueCounts(spark.sparkContext().hadoopConfiguration(), empty, "reason"));
    }

    @Test
    void anEmptyWriteCountsZeroAndAnUnknownColumnIsRefused(@TempDir Path dir) {
        String out = dir.resolve("empty").toString();
        spark.createDataFrame(List.of(), SCHEMA).write().parquet(out);
        ParquetCounts counts = ParquetCounts.of(spark.sparkContext().hadoopConfiguration(), out, "label");
        assertEquals(0, counts.rows());
        assertEquals(OptionalLong.of(0), counts.nulls());

        String some = dir.resolve("some").toString();
        spark.createDataFrame(List.of(RowFactory.create("p", 1)), SCHEMA).write().parquet(some);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParquetCounts.of(spark.sparkContext().hadoopConfiguration(), some, "labels"));
        assertTrue(e.getMessage().contains("no column labels"), e.getMessage());
    }
}
