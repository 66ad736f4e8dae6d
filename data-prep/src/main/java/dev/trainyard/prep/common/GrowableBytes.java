package dev.trainyard.prep.common;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A byte buffer that grows, with Parquet's little-endian encodings of plain values. */
final class GrowableBytes {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int size;

    GrowableBytes(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    byte[] array() {
        return buf;
    }

    void putByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void putInt(int v) {
        ensure(4);
        INT.set(buf, size, v);
        size += 4;
    }

    void putLong(long v) {
        ensure(8);
        LONG.set(buf, size, v);
        size += 8;
    }

    void putFloat(float v) {
        ensure(4);
        FLOAT.set(buf, size, v);
        size += 4;
    }

    void putInts(int[] values) {
        ensure(4 * values.length);
        for (int v : values) {
            INT.set(buf, size, v);
            size += 4;
        }
    }

    void putFloats(float[] values) {
        ensure(4 * values.length);
        for (float v : values) {
            FLOAT.set(buf, size, v);
            size += 4;
        }
    }

    /** Parquet's BYTE_ARRAY plain encoding: a 4-byte length, then the bytes. */
    void putLengthPrefixed(byte[] bytes) {
        putInt(bytes.length);
        put(bytes, 0, bytes.length);
    }

    void put(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
    }

    /** Unsigned LEB128, as in RLE run headers. */
    void putVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            putByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        putByte((int) v);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a Parquet page buffer cannot hold " + wanted + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
