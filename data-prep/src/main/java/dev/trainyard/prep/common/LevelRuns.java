package dev.trainyard.prep.common;

import org.apache.parquet.bytes.BytesUtils;

/**
 * Repetition or definition levels of one page in Parquet's RLE/bit-packing hybrid encoding, built
 * a run at a time: a list of n values is two runs of repetition levels (0, then n-1 ones) and one
 * of definition levels, not 2n per-value calls. Only RLE runs are written; the format lets a
 * writer pick either kind of run, and readers read both.
 */
final class LevelRuns {
    private final int bitWidth;
    private final int valueBytes;
    private final GrowableBytes runs = new GrowableBytes(256);
    private int level = -1;
    private long length;

    /** @param maxLevel the column's maximum level; 0 means the page has none of these levels */
    LevelRuns(int maxLevel) {
        this.bitWidth = BytesUtils.getWidthFromMaxInt(maxLevel);
        this.valueBytes = (bitWidth + 7) / 8;
    }

    boolean present() {
        return bitWidth > 0;
    }

    void add(int value, int count) {
        if (count <= 0) {
            return;
        }
        if (value != level) {
            flush();
            level = value;
        }
        length += count;
    }

    /** Bytes so far (the open run counted at its largest header), for page-size decisions. */
    int estimatedSize() {
        return runs.size() + 10;
    }

    /** Appends the data-page-v1 layout: a 4-byte little-endian length, then the runs; nothing when absent. */
    void writeTo(GrowableBytes page) {
        if (!present()) {
            return;
        }
        flush();
        page.putInt(runs.size());
        page.put(runs.array(), 0, runs.size());
    }

    void reset() {
        runs.reset();
        level = -1;
        length = 0;
    }

    private void flush() {
        if (length == 0) {
            return;
        }
        runs.putVarint(length << 1); // low bit 0: an RLE run
        for (int i = 0; i < valueBytes; i++) {
            runs.putByte(level >>> (8 * i));
        }
        length = 0;
    }
}
