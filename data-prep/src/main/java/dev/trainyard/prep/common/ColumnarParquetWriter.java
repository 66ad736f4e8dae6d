package dev.trainyard.prep.common;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes rows of a flat schema to one Parquet file a column at a time: strings, ints, longs and
 * floats (nullable or not) and arrays of non-null floats or ints. Spark's row writer hands parquet-mr
 * every array element separately (a value, a repetition and a definition level, statistics), which
 * was half the CPU of question prep (docs/benchmarks.md); here an array is a bulk copy, two level
 * runs and one min/max. The file is what Spark writes for the same schema with
 * {@code spark.sql.parquet.writeLegacyFormat=true} (two-level lists named {@code array}, tested),
 * with the Spark schema in the footer, so Spark, Arrow and parquet-mr read it as Spark's own:
 * plain-encoded data pages v1, RLE levels, page and chunk statistics, column and offset indexes.
 */
public final class ColumnarParquetWriter implements Closeable {
    /** The footer key Spark reads its own schema from (so types come back exactly as written). */
    public static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
    static final int DEFAULT_PAGE_SIZE = 1 << 20;
    static final long DEFAULT_ROW_GROUP_SIZE = 128L << 20;
    private static final int MAX_PADDING = 8 << 20;

    private final StructType schema;
    private final ParquetFileWriter file;
    private final CodecFactory codecs;
    private final BytesInputCompressor compressor;
    private final CompressionCodecName codec;
    private final long rowGroupSize;
    private final List<ColumnChunkBuffer> columns = new ArrayList<>();
    private long rowsInGroup;
    private long rows;

    public ColumnarParquetWriter(OutputFile out, StructType schema, CompressionCodecName codec, Configuration conf,
                                 long rowGroupSize, int pageSize) throws IOException {
        this.schema = schema;
        this.codec = codec;
        this.rowGroupSize = rowGroupSize;
        MessageType parquet = parquetSchema(schema);
        List<ColumnDescriptor> leaves = parquet.getColumns();
        for (int i = 0; i < schema.fields().length; i++) {
            StructField f = schema.fields()[i];
            columns.add(new ColumnChunkBuffer(f.name(), kind(f), leaves.get(i), pageSize));
        }
        this.codecs = new CodecFactory(conf, pageSize);
        this.compressor = codecs.getCompressor(codec);
        this.file = new ParquetFileWriter(out, parquet, ParquetFileWriter.Mode.CREATE, rowGroupSize, MAX_PADDING);
        file.start();
    }

    /**
     * Appends a row: values in schema order; {@code String}, {@code Integer}, {@code Long},
     * {@code Float}, {@code float[]}, {@code int[]} by column type.
     */
    public void write(Object[] row) throws IOException {
        if (row.length != columns.size()) {
            throw new IllegalArgumentException("a row of " + row.length + " values for a schema of " + columns.size()
                    + " columns (" + String.join(", ", schema.fieldNames()) + ")");
        }
        long buffered = 0;
        for (int i = 0; i < row.length; i++) {
            ColumnChunkBuffer c = columns.get(i);
            c.add(row[i]);
            c.endRow(compressor);
            buffered += c.bufferedBytes();
        }
        rowsInGroup++;
        rows++;
        if (buffered >= rowGroupSize) {
            flushRowGroup();
        }
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        try {
            flushRowGroup();
            file.end(Map.of(SPARK_SCHEMA_KEY, schema.json()));
        } finally {
            codecs.release();
        }
    }

    private void flushRowGroup() throws IOException {
        if (rowsInGroup == 0) {
            return;
        }
        file.startBlock(rowsInGroup);
        for (ColumnChunkBuffer c : columns) {
            c.writeChunk(file, compressor, codec);
        }
        file.endBlock();
        rowsInGroup = 0;
    }

    /** Spark's legacy-layout Parquet schema of {@code schema}; refuses types this writer does not write. */
    static MessageType parquetSchema(StructType schema) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (StructField f : schema.fields()) {
            Type.Repetition repetition = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            if (f.dataType() instanceof ArrayType a) {
                message.addField(Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType())
                        .addField(primitive(f, a.elementType(), Type.Repetition.REPEATED).named("array"))
                        .named(f.name()));
            } else {
                message.addField(primitive(f, f.dataType(), repetition).named(f.name()));
            }
        }
        return message.named("spark_schema");
    }

    private static Types.PrimitiveBuilder<PrimitiveType> primitive(StructField f, DataType type, Type.Repetition repetition) {
        if (type.equals(DataTypes.StringType)) {
            return Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType());
        } else if (type.equals(DataTypes.IntegerType)) {
            return Types.primitive(PrimitiveTypeName.INT32, repetition);
        } else if (type.equals(DataTypes.LongType)) {
            return Types.primitive(PrimitiveTypeName.INT64, repetition);
        } else if (type.equals(DataTypes.FloatType)) {
            return Types.primitive(PrimitiveTypeName.FLOAT, repetition);
        }
        throw unsupported(f);
    }

    static ColumnChunkBuffer.Kind kind(StructField f) {
        DataType t = f.dataType();
        if (t instanceof ArrayType a) {
            if (a.containsNull() || f.nullable()) {
                throw new IllegalArgumentException("column " + f.name() + ": only non-null arrays of non-null elements are written column-wise");
            }
            if (a.elementType().equals(DataTypes.FloatType)) {
                return ColumnChunkBuffer.Kind.FLOAT_ARRAY;
            } else if (a.elementType().equals(DataTypes.IntegerType)) {
                return ColumnChunkBuffer.Kind.INT_ARRAY;
            }
        } else if (t.equals(DataTypes.StringType)) {
            return ColumnChunkBuffer.Kind.STRING;
        } else if (t.equals(DataTypes.IntegerType)) {
            return ColumnChunkBuffer.Kind.INT;
        } else if (t.equals(DataTypes.LongType)) {
            return ColumnChunkBuffer.Kind.LONG;
        } else if (t.equals(DataTypes.FloatType)) {
            return ColumnChunkBuffer.Kind.FLOAT;
        }
        throw unsupported(f);
    }

    private static IllegalArgumentException unsupported(StructField f) {
        return new IllegalArgumentException("column " + f.name() + " of type " + f.dataType().simpleString()
                + ": the column-wise Parquet writer takes strings, ints, longs, floats and non-null arrays of floats or ints");
    }
}
