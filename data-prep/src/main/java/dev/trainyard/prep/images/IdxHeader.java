package dev.trainyard.prep.images;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The header of an IDX file (MNIST's format): two zero bytes, a type byte (0x08 = unsigned byte),
 * the number of dimensions, then each dimension as a big-endian int32. Images are 0x0803
 * (count, rows, columns), labels 0x0801 (count).
 */
public record IdxHeader(int type, int[] dims) {
    public static final int UBYTE = 0x08;

    /** Why a file cannot be read as the IDX file it should be. */
    public static final class BadHeaderException extends Exception {
        public BadHeaderException(String message) {
            super(message);
        }
    }

    public static IdxHeader read(DataInputStream in, String file, int expectedDims) throws IOException, BadHeaderException {
        int magic;
        try {
            magic = in.readInt();
        } catch (java.io.EOFException e) {
            throw new BadHeaderException(file + " is shorter than an IDX header");
        }
        if ((magic >>> 16) != 0) {
            throw new BadHeaderException(String.format("%s: magic number 0x%08x does not start with two zero bytes (not an IDX file)", file, magic));
        }
        int type = (magic >>> 8) & 0xff;
        int n = magic & 0xff;
        if (type != UBYTE) {
            throw new BadHeaderException(String.format("%s: element type 0x%02x, expected 0x08 (unsigned byte)", file, type));
        }
        if (n != expectedDims) {
            throw new BadHeaderException(file + ": " + n + " dimensions, expected " + expectedDims
                    + (expectedDims == 3 ? " (count, rows, columns) for images" : " (count) for labels"));
        }
        int[] dims = new int[n];
        for (int i = 0; i < n; i++) {
            try {
                dims[i] = in.readInt();
            } catch (java.io.EOFException e) {
                throw new BadHeaderException(file + " ends inside its header");
            }
            if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
                throw new BadHeaderException(file + ": dimension " + i + " is " + dims[i]);
            }
        }
        return new IdxHeader(type, dims);
    }

    public int count() {
        return dims[0];
    }

    /** Bytes of one record: rows x columns for images, 1 for labels. */
    public int recordBytes() {
        int b = 1;
        for (int i = 1; i < dims.length; i++) {
            b *= dims[i];
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxHeader h && h.type == type && Arrays.equals(h.dims, dims);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(dims);
    }
}
