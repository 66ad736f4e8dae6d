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

    /** Largest record (one image) accepted: far above any real image, far below what breaks a Spark row. */
    public static final long MAX_RECORD_BYTES = 1L << 26;
    /** A header declaring at least this many times the data its file holds is not a truncated file, but a wrong header. */
    static final long IMPLAUSIBLE_RATIO = 2;

    /** Why a file cannot be read as the IDX file it should be; counts the records the header declared, when it got that far. */
    public static final class BadHeaderException extends Exception {
        private final long declaredRecords;

        public BadHeaderException(String message) {
            this(message, 1);
        }

        public BadHeaderException(String message, long declaredRecords) {
            super(message);
            this.declaredRecords = Math.max(1, declaredRecords);
        }

        public long declaredRecords() {
            return declaredRecords;
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
                throw new BadHeaderException(file + ": dimension " + i + " is " + dims[i], i > 0 ? dims[0] : 1);
            }
        }
        return new IdxHeader(type, dims);
    }

    public int count() {
        return dims[0];
    }

    /** Bytes of the header: the magic number and one int per dimension. */
    public long headerBytes() {
        return 4L + 4L * dims.length;
    }

    /** Bytes of one record: rows x columns for images, 1 for labels (a long: 65536 x 65536 does not fit an int). */
    public long recordBytes() {
        long b = 1;
        for (int i = 1; i < dims.length; i++) {
            b *= dims[i];
        }
        return b;
    }

    /**
     * Checks the header against the file before anything is allocated: a record must stay under
     * {@link #MAX_RECORD_BYTES}, and the declared data must not be {@link #IMPLAUSIBLE_RATIO} times
     * what the file holds ({@code dataBytes}: bytes after the header, -1 when unknown, as for gzip,
     * whose shortfall shows as truncation while reading). A shorter shortfall is a truncated file.
     */
    public void checkSize(String file, long dataBytes) throws BadHeaderException {
        long record = recordBytes();
        if (record > MAX_RECORD_BYTES) {
            throw new BadHeaderException(String.format("%s: header declares records of %s (%d bytes each), over the %d-byte limit",
                    file, shape(), record, MAX_RECORD_BYTES), count());
        }
        if (dataBytes < 0) {
            return;
        }
        double declared = (double) count() * record;
        if (declared >= IMPLAUSIBLE_RATIO * (double) Math.max(dataBytes, 1) && declared > dataBytes) {
            throw new BadHeaderException(String.format("%s: header declares %d records of %d bytes (%.0f bytes) but the file holds %d "
                    + "bytes of data", file, count(), record, declared, dataBytes), count());
        }
    }

    private String shape() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < dims.length; i++) {
            b.append(i > 1 ? "x" : "").append(dims[i]);
        }
        return b.toString();
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
