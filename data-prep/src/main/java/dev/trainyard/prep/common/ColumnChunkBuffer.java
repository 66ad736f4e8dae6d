package dev.trainyard.prep.common;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.BinaryStatistics;
import org.apache.parquet.column.statistics.FloatStatistics;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One column's pages of the row group being written: values appended a row at a time into plain
 * encoding, levels as runs, statistics per page, and pages cut at row boundaries once their
 * values reach the page size, compressed when sealed.
 */
final class ColumnChunkBuffer {
    /** The value kinds {@link ColumnarParquetWriter} writes. */
    enum Kind { STRING, INT, LONG, FLOAT, FLOAT_ARRAY, INT_ARRAY }

    private record Page(byte[] compressed, int uncompressedSize, int valueCount, int rowCount, Statistics<?> stats) {
    }

    private final String name;
    private final Kind kind;
    private final ColumnDescriptor column;
    private final int pageSize;
    private final LevelRuns repetition;
    private final LevelRuns definition;
    private final GrowableBytes values;
    private final GrowableBytes page;
    private final List<Page> sealed = new ArrayList<>();
    private Statistics<?> stats;
    private int pageValues;
    private int pageRows;
    private long chunkValues;
    private long sealedBytes;

    ColumnChunkBuffer(String name, Kind kind, ColumnDescriptor column, int pageSize) {
        this.name = name;
        this.kind = kind;
        this.column = column;
        this.pageSize = pageSize;
        this.repetition = new LevelRuns(column.getMaxRepetitionLevel());
        this.definition = new LevelRuns(column.getMaxDefinitionLevel());
        this.values = new GrowableBytes(64 * 1024);
        this.page = new GrowableBytes(64 * 1024);
        this.stats = Statistics.createStats(column.getPrimitiveType());
    }

    /** Appends one row's value: null only where the column is optional; arrays may be empty, never null. */
    void add(Object value) {
        pageRows++;
        if (kind == Kind.FLOAT_ARRAY || kind == Kind.INT_ARRAY) {
            addArray(value);
        } else if (value == null) {
            if (!definition.present()) {
                throw new IllegalArgumentException("column " + name + " is not nullable, got null");
            }
            definition.add(0, 1);
            stats.incrementNumNulls();
            pageValues++;
        } else {
            definition.add(1, 1);
            addScalar(value);
            pageValues++;
        }
    }

    private void addScalar(Object value) {
        switch (kind) {
            case STRING -> {
                byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
                values.putLengthPrefixed(utf8);
                ((BinaryStatistics) stats).updateStats(Binary.fromConstantByteArray(utf8));
            }
            case INT -> {
                int v = (Integer) value;
                values.putInt(v);
                ((IntStatistics) stats).updateStats(v);
            }
            case LONG -> {
                long v = (Long) value;
                values.putLong(v);
                ((LongStatistics) stats).updateStats(v);
            }
            case FLOAT -> {
                float v = (Float) value;
                values.putFloat(v);
                ((FloatStatistics) stats).updateStats(v);
            }
            default -> throw new IllegalStateException("not a scalar kind: " + kind);
        }
    }

    /** A list column of non-null elements: an empty list is one entry at definition level 0, counted as a null like parquet-mr does. */
    private void addArray(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("column " + name + " holds arrays and is not nullable, got null");
        }
        int n = kind == Kind.FLOAT_ARRAY ? ((float[]) value).length : ((int[]) value).length;
        repetition.add(0, 1);
        if (n == 0) {
            definition.add(0, 1);
            stats.incrementNumNulls();
            pageValues++;
            return;
        }
        repetition.add(1, n - 1);
        definition.add(1, n);
        pageValues += n;
        if (kind == Kind.FLOAT_ARRAY) {
            float[] a = (float[]) value;
            values.putFloats(a);
            // Float.compare's order, as FloatStatistics.updateStats(float) applies it per value
            float min = a[0];
            float max = a[0];
            for (float v : a) {
                if (Float.compare(v, min) < 0) {
                    min = v;
                }
                if (Float.compare(v, max) > 0) {
                    max = v;
                }
            }
            ((FloatStatistics) stats).updateStats(min);
            ((FloatStatistics) stats).updateStats(max);
        } else {
            int[] a = (int[]) value;
            values.putInts(a);
            int min = a[0];
            int max = a[0];
            for (int v : a) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            ((IntStatistics) stats).updateStats(min);
            ((IntStatistics) stats).updateStats(max);
        }
    }

    /** Seals the page once it is full; call after each row. */
    void endRow(BytesInputCompressor compressor) throws IOException {
        if (values.size() + repetition.estimatedSize() + definition.estimatedSize() >= pageSize) {
            seal(compressor);
        }
    }

    /** Bytes this chunk holds so far: sealed (compressed) pages and the open page's values. */
    long bufferedBytes() {
        return sealedBytes + values.size();
    }

    /** Writes the chunk's pages (sealing the open one) as one column chunk, then starts an empty chunk. */
    void writeChunk(ParquetFileWriter file, BytesInputCompressor compressor, CompressionCodecName codec) throws IOException {
        seal(compressor);
        file.startColumn(column, chunkValues, codec);
        Encoding rl = repetition.present() ? Encoding.RLE : Encoding.BIT_PACKED;
        Encoding dl = definition.present() ? Encoding.RLE : Encoding.BIT_PACKED;
        for (Page p : sealed) {
            file.writeDataPage(p.valueCount(), p.uncompressedSize(), BytesInput.from(p.compressed()), p.stats(), p.rowCount(),
                    rl, dl, Encoding.PLAIN);
        }
        file.endColumn();
        sealed.clear();
        sealedBytes = 0;
        chunkValues = 0;
    }

    private void seal(BytesInputCompressor compressor) throws IOException {
        if (pageRows == 0) {
            return;
        }
        page.reset();
        repetition.writeTo(page);
        definition.writeTo(page);
        page.put(values.array(), 0, values.size());
        // the compressor reuses its output buffer: keep a copy
        byte[] compressed = compressor.compress(BytesInput.from(page.array(), 0, page.size())).toByteArray();
        sealed.add(new Page(compressed, page.size(), pageValues, pageRows, stats));
        sealedBytes += compressed.length;
        chunkValues += pageValues;
        repetition.reset();
        definition.reset();
        values.reset();
        stats = Statistics.createStats(column.getPrimitiveType());
        pageValues = 0;
        pageRows = 0;
    }
}
