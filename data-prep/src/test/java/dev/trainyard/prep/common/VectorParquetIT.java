package dev.trainyard.prep.common;

import dev.trainyard.prep.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorParquetIT {
    private final SparkSession spark = LocalSpark.get();

    @Test
    void vectorsReadBackUnchangedAsTwoLevelListsWithoutDictionaryAndTheSessionSettingIsRestored(@TempDir java.nio.file.Path dir)
            throws IOException {
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType, false)
                .add("vec", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            // every row has the same vector: a dictionary would pay off, so only the setting keeps it off
            rows.add(RowFactory.create(i, new float[]{0.5f, -1f, i == 7 ? Float.NaN : 2f}, new int[]{3, 3, 3}));
        }
        spark.conf().set(VectorParquet.LEGACY_LAYOUT, "false");
        String out = dir.resolve("data").toString();
        VectorParquet.withTwoLevelLists(spark, () -> {
            VectorParquet.writer(spark.createDataFrame(rows, schema).coalesce(1), List.of("vec"), List.of("id")).parquet(out);
            return null;
        });

        assertEquals("false", spark.conf().get(VectorParquet.LEGACY_LAYOUT), "the session's layout setting is restored");
        Map<Integer, Row> back = new HashMap<>();
        spark.read().parquet(out).collectAsList().forEach(r -> back.put(r.getInt(0), r));
        assertEquals(500, back.size());
        assertEquals(List.of(0.5f, -1f, 2f), back.get(3).getList(1));
        assertTrue(Float.isNaN((Float) back.get(7).getList(1).get(2)));
        assertEquals(List.of(3, 3, 3), back.get(3).getList(2));

        java.nio.file.Path file;
        try (Stream<java.nio.file.Path> files = Files.list(dir.resolve("data"))) {
            file = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file.toString()), new Configuration()))) {
            assertTrue(r.getFileMetaData().getSchema().getType("vec").asGroupType().getType(0).isPrimitive(),
                    "a repeated primitive directly under the list (two levels), not a group per element");
            for (ColumnChunkMetaData c : r.getFooter().getBlocks().get(0).getColumns()) {
                boolean dictionary = c.getEncodings().contains(Encoding.PLAIN_DICTIONARY) || c.getEncodings().contains(Encoding.RLE_DICTIONARY);
                if (c.getPath().toDotString().startsWith("vec") || c.getPath().toDotString().equals("id")) {
                    assertFalse(dictionary, "no dictionary for the vector column and the column of distinct values: "
                            + c.getPath() + " " + c.getEncodings());
                } else if (c.getPath().toDotString().startsWith("ids")) {
                    assertTrue(dictionary, "other columns keep Parquet's default dictionary: " + c.getEncodings());
                }
            }
        }
    }
}
