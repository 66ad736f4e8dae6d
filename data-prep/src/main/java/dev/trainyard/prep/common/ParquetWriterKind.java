package dev.trainyard.prep.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which writer a prep job uses for its vector tables. */
public enum ParquetWriterKind {
    /** {@link ColumnarParquetWriter}: arrays copied in bulk (the default). */
    COLUMNAR,
    /** Spark's DataFrame writer (parquet-mr's record writer): a value at a time. */
    SPARK;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ParquetWriterKind fromCli(String name) {
        for (ParquetWriterKind k : values()) {
            if (k.cliName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("--parquet-writer must be one of "
                + Arrays.stream(values()).map(ParquetWriterKind::cliName).collect(Collectors.joining(", ")) + ", got " + name);
    }
}
