package dev.trainyard.prep.common;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Row and null counts of a written Parquet directory, read from its files' footers: what is on
 * disk, without a Spark query (each costs a job, and in a fresh JVM seconds of query planning and
 * code generation). Spark names its data files {@code part-*}; other files are not data.
 */
public final class ParquetCounts {
    private final long rows;
    private final OptionalLong nulls;

    private ParquetCounts(long rows, OptionalLong nulls) {
        this.rows = rows;
        this.nulls = nulls;
    }

    /**
     * @param column a top-level primitive column whose nulls are counted from the column-chunk
     *               statistics; empty when a chunk has none (the caller counts another way)
     */
    public static ParquetCounts of(Configuration conf, String dir, String column) {
        Path root = new Path(dir);
        try {
            FileSystem fs = root.getFileSystem(conf);
            long rows = 0;
            long nulls = 0;
            boolean nullsKnown = true;
            for (FileStatus f : fs.listStatus(root, p -> p.getName().startsWith("part-"))) {
                try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
                    for (BlockMetaData block : r.getFooter().getBlocks()) {
                        rows += block.getRowCount();
                        Statistics<?> stats = chunk(block, column).getStatistics();
                        if (stats == null || !stats.isNumNullsSet()) {
                            nullsKnown = false;
                        } else {
                            nulls += stats.getNumNulls();
                        }
                    }
                }
            }
            return new ParquetCounts(rows, nullsKnown ? OptionalLong.of(nulls) : OptionalLong.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Parquet footers under " + dir, e);
        }
    }

    /**
     * How often each value of a top-level string column occurs, read from the files with
     * parquet-mr (that column only), not by a Spark query: on a small table such as a quarantine
     * this keeps a job from setting up Spark SQL just to count reasons.
     */
    public static Map<String, Long> valueCounts(Configuration conf, String dir, String column) {
        Path root = new Path(dir);
        Map<String, Long> counts = new TreeMap<>();
        try {
            FileSystem fs = root.getFileSystem(conf);
            for (FileStatus f : fs.listStatus(root, p -> p.getName().startsWith("part-"))) {
                MessageType schema;
                try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
                    schema = r.getFileMetaData().getSchema();
                }
                if (!schema.containsField(column)) {
                    throw new IllegalArgumentException("no column " + column + " in " + f.getPath());
                }
                Configuration projected = new Configuration(conf);
                projected.set(ReadSupport.PARQUET_READ_SCHEMA, new MessageType(schema.getName(), schema.getType(column)).toString());
                try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), f.getPath()).withConf(projected).build()) {
                    for (Group g = reader.read(); g != null; g = reader.read()) {
                        counts.merge(g.getFieldRepetitionCount(column) == 0 ? "null" : g.getString(column, 0), 1L, Long::sum);
                    }
                }
            }
            return counts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read column " + column + " under " + dir, e);
        }
    }

    private static ColumnChunkMetaData chunk(BlockMetaData block, String column) {
        for (ColumnChunkMetaData c : block.getColumns()) {
            if (c.getPath().toDotString().equals(column)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no column " + column + " in a row group of " + block.getPath());
    }

    public long rows() {
        return rows;
    }

    /** Nulls in the column, when every row group's statistics count them. */
    public OptionalLong nulls() {
        return nulls;
    }
}
