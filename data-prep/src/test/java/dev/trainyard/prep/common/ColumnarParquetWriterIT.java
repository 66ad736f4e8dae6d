package dev.trainyard.prep.common;

import dev.trainyard.prep.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The column-wise writer's files are Spark's own: same Parquet schema, same rows through every reader, true statistics. */
class ColumnarParquetWriterIT {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("row", DataTypes.LongType, false)
            .add("label", DataTypes.IntegerType, true)
            .add("vec", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("score", DataTypes.FloatType, true);
    private static final int ROWS = 3000;

    private final SparkSession spark = LocalSpark.get();
    @TempDir
    java.nio.file.Path tmp;

    @AfterEach
    void restoreSizes() {
        spark.sparkContext().hadoopConfiguration().unset(ColumnarParquetOutputFormat.ROW_GROUP_SIZE);
        spark.sparkContext().hadoopConfiguration().unset(ColumnarParquetOutputFormat.PAGE_SIZE);
    }

    /** Rows with what trips encoders: nulls, empty and long arrays, NaN, -0.0, non-ASCII and empty strings. */
    private static List<Object[]> rows() {
        Random rnd = new Random(7);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            float[] vec = new float[5];
            for (int j = 0; j < vec.length; j++) {
                vec[j] = (float) rnd.nextGaussian();
            }
            if (i % 97 == 0) {
                vec[1] = Float.NaN;
            }
            if (i % 89 == 0) {
                vec[2] = -0.0f;
            }
            int[] ids = new int[i % 11 == 0 ? 0 : 1 + rnd.nextInt(i % 5 == 0 ? 300 : 20)];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = rnd.nextInt(1000) - 10;
            }
            String id = i % 50 == 0 ? "" : "q-" + i + (i % 7 == 0 ? " caf\u00e9 \u65e5\u672c \uD83D\uDE00" : "");
            Float score = i % 4 == 0 ? null : i % 13 == 0 ? Float.NaN : (float) rnd.nextGaussian();
            rows.add(new Object[]{id, (long) i, i % 3 == 0 ? null : i % 2, vec, ids, score});
        }
        return rows;
    }

    private String writeColumnar(List<Object[]> rows, String name) {
        JavaRDD<Object[]> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3);
        String dir = tmp.resolve(name).toString();
        ColumnarParquetOutputFormat.save(spark, rdd, SCHEMA, dir);
        return dir;
    }

    private String writeSpark(List<Object[]> rows, String name) {
        String dir = tmp.resolve(name).toString();
        List<Row> r = rows.stream().map(RowFactory::create).toList();
        VectorParquet.withTwoLevelLists(spark, () -> {
            spark.createDataFrame(r, SCHEMA).repartition(3).write().parquet(dir);
            return null;
        });
        return dir;
    }

    private static List<java.nio.file.Path> parts(String dir) throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(java.nio.file.Path.of(dir))) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
    }

    private static ParquetFileReader open(java.nio.file.Path file) throws IOException {
        return ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file.toString()), new Configuration()));
    }

    private List<Row> readSorted(String dir, boolean vectorized) {
        spark.conf().set("spark.sql.parquet.enableVectorizedReader", String.valueOf(vectorized));
        try {
            return spark.read().parquet(dir).orderBy("row").collectAsList();
        } finally {
            spark.conf().unset("spark.sql.parquet.enableVectorizedReader");
        }
    }

    @Test
    void spark_readsTheSameRowsAndSchemaAsFromItsOwnWriter_overManyPagesAndRowGroups() throws IOException {
        // small pages and row groups, so that every column spans several of each
        spark.sparkContext().hadoopConfiguration().setInt(ColumnarParquetOutputFormat.PAGE_SIZE, 2048);
        spark.sparkContext().hadoopConfiguration().setLong(ColumnarParquetOutputFormat.ROW_GROUP_SIZE, 16 * 1024);
        List<Object[]> rows = rows();
        String ours = writeColumnar(rows, "columnar");
        String theirs = writeSpark(rows, "spark");

        assertTrue(Files.exists(java.nio.file.Path.of(ours, "_SUCCESS")), "a committed directory is marked like Spark's");
        List<java.nio.file.Path> files = parts(ours);
        assertEquals(3, files.size(), "one file per task");
        MessageType sparkSchema;
        try (ParquetFileReader r = open(parts(theirs).get(0))) {
            sparkSchema = r.getFileMetaData().getSchema();
        }
        for (java.nio.file.Path f : files) {
            try (ParquetFileReader r = open(f)) {
                assertEquals(sparkSchema, r.getFileMetaData().getSchema(), "the Parquet schema Spark writes for this struct");
                assertTrue(r.getFooter().getBlocks().size() > 1, "several row groups in " + f);
                ColumnChunkMetaData vec = r.getFooter().getBlocks().get(0).getColumns().get(3);
                assertTrue(r.readOffsetIndex(vec).getPageCount() > 1, "several pages in a chunk");
            }
        }
        assertEquals(SCHEMA.simpleString(), spark.read().parquet(ours).schema().simpleString());
        assertEquals(spark.read().parquet(theirs).schema(), spark.read().parquet(ours).schema());

        List<Row> expected = readSorted(theirs, true);
        assertEquals(ROWS, expected.size());
        assertSameRows(expected, readSorted(ours, true), "vectorized reader");
        assertSameRows(expected, readSorted(ours, false), "row-wise reader");
        Row r7 = expected.get(7);
        assertEquals("q-7 caf\u00e9 \u65e5\u672c \uD83D\uDE00", r7.getString(0));
        assertTrue(expected.get(0).getList(4).isEmpty() && expected.get(0).isNullAt(2));
    }

    @Test
    void parquetMrsRecordReaderAndStatisticsAgreeWithTheRowsWritten() throws IOException {
        spark.sparkContext().hadoopConfiguration().setLong(ColumnarParquetOutputFormat.ROW_GROUP_SIZE, 16 * 1024);
        List<Object[]> rows = rows();
        String dir = writeColumnar(rows, "stats");
        long records = 0;
        long nullLabels = 0;
        long emptyIds = 0;
        long rowGroups = 0;
        for (java.nio.file.Path f : parts(dir)) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new Path(f.toString())).build()) {
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    Object[] row = rows.get((int) g.getLong("row", 0));
                    assertEquals(row[0], g.getString("id", 0));
                    assertEquals(row[2] == null ? 0 : 1, g.getFieldRepetitionCount("label"));
                    float[] vec = (float[]) row[3];
                    Group list = g.getGroup("vec", 0);
                    assertEquals(vec.length, list.getFieldRepetitionCount("array"));
                    for (int j = 0; j < vec.length; j++) {
                        assertEquals(Float.floatToIntBits(vec[j]), Float.floatToIntBits(list.getFloat("array", j)));
                    }
                    int[] ids = (int[]) row[4];
                    assertEquals(ids.length, g.getGroup("ids", 0).getFieldRepetitionCount("array"));
                    assertEquals(row[5] == null ? 0 : 1, g.getFieldRepetitionCount("score"));
                    if (row[5] != null) {
                        assertEquals(Float.floatToIntBits((Float) row[5]), Float.floatToIntBits(g.getFloat("score", 0)));
                    }
                    records++;
                }
            }
            try (ParquetFileReader r = open(f)) {
                for (BlockMetaData b : r.getFooter().getBlocks()) {
                    rowGroups++;
                    nullLabels += stats(b, "label").getNumNulls();
                    emptyIds += stats(b, "ids.array").getNumNulls();
                    Statistics<?> row = stats(b, "row");
                    assertEquals(b.getRowCount() - 1, (Long) row.genericGetMax() - (Long) row.genericGetMin(),
                            "a task's rows are consecutive, so each row group spans exactly its row count");
                }
            }
        }
        assertEquals(ROWS, records);
        assertTrue(rowGroups > 3);
        assertEquals(rows.stream().filter(r -> r[2] == null).count(), nullLabels, "null count of an optional column");
        assertEquals(rows.stream().filter(r -> ((int[]) r[4]).length == 0).count(), emptyIds,
                "an empty list counts as a null, as parquet-mr counts it");

        // pushed-down filters skip row groups and pages by these statistics: wrong ones would lose rows
        spark.conf().set("spark.sql.parquet.filterPushdown", "true");
        assertEquals(List.of(1234L), spark.read().parquet(dir).filter(col("row").equalTo(1234L)).select("row")
                .as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
        assertEquals(rows.stream().filter(r -> "q-5".equals(r[0])).count(),
                spark.read().parquet(dir).filter(col("id").equalTo("q-5")).count());
        spark.conf().unset("spark.sql.parquet.filterPushdown");
    }

    /** Compared as text: NaN is not equal to itself, and a failure names the first row that differs. */
    private static void assertSameRows(List<Row> expected, List<Row> actual, String reader) {
        assertEquals(expected.size(), actual.size(), reader + ": row count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).toString(), actual.get(i).toString(), reader + ": row " + i);
        }
    }

    private static Statistics<?> stats(BlockMetaData b, String column) {
        return b.getColumns().stream().filter(c -> c.getPath().toDotString().equals(column)).findFirst().orElseThrow().getStatistics();
    }

    @Test
    void refusesTypesItDoesNotWriteAndNullsInRequiredColumns_namingTheColumn() {
        StructType nested = new StructType().add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColumnarParquetWriter.kind(nested.fields()[0]));
        assertTrue(e.getMessage().contains("column m"), e.getMessage());
        StructType nullableElements = new StructType().add("v", DataTypes.createArrayType(DataTypes.FloatType, true), false);
        e = assertThrows(IllegalArgumentException.class, () -> ColumnarParquetWriter.kind(nullableElements.fields()[0]));
        assertTrue(e.getMessage().contains("column v") && e.getMessage().contains("non-null"), e.getMessage());

        List<Object[]> bad = new ArrayList<>(rows().subList(0, 5));
        bad.set(3, new Object[]{null, 3L, 1, new float[5], new int[0], 1f});
        Exception thrown = assertThrows(Exception.class, () -> writeColumnar(bad, "bad"));
        Throwable cause = thrown;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("column id is not nullable"), cause.getMessage());
    }
}
