package dev.trainyard.prep.text;

import dev.trainyard.prep.common.ParquetWriterKind;

import java.util.List;
import java.util.Objects;

/**
 * Everything {@link PairPrepJob} needs; validated on construction.
 *
 * @param inputs        input files (local paths or any Hadoop URI)
 * @param format        file layout
 * @param output        dataset directory to create
 * @param split         train/dev/test fractions
 * @param seed          seeds the split hash and Word2Vec
 * @param minChars      pairs where either question is shorter are quarantined (research notes: 10)
 * @param vectors       GloVe/word2vec text file (.txt or .gz); null to train Word2Vec on the corpus
 * @param vectorSize    Word2Vec dimension when training
 * @param minDocFreq    words seen in fewer training questions are left out of the vocabulary
 * @param fitFrom       an earlier prep output whose vocabulary, IDF and vectors are reused (nothing refitted)
 * @param overwrite     replace an existing output directory
 * @param writer        how the splits' Parquet files are written (same files either way)
 */
public record PairPrepConfig(List<String> inputs, PairFormat format, String output, SplitFractions split, long seed,
                             int minChars, String vectors, int vectorSize, int minDocFreq, String fitFrom,
                             boolean overwrite, ParquetWriterKind writer) {
    public PairPrepConfig {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(writer, "writer");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input file is required");
        }
        if (minChars < 0) {
            throw new IllegalArgumentException("--min-chars must be >= 0, got " + minChars);
        }
        if (vectorSize <= 0) {
            throw new IllegalArgumentException("--vector-size must be > 0, got " + vectorSize);
        }
        if (minDocFreq < 1) {
            throw new IllegalArgumentException("--min-doc-freq must be >= 1, got " + minDocFreq);
        }
        if (fitFrom == null && split.train() == 0) {
            throw new IllegalArgumentException("with no training split (--split " + split
                    + ") the vocabulary, IDF and vectors must come from --fit-from DIR");
        }
        if (fitFrom != null && vectors != null) {
            throw new IllegalArgumentException("--vectors and --fit-from exclude each other: --fit-from reuses the fitted vectors");
        }
    }

    public static PairPrepConfig defaults(List<String> inputs, PairFormat format, String output) {
        return new PairPrepConfig(inputs, format, output, new SplitFractions(0.8, 0.1, 0.1), 42, 10, null, 100, 1, null, false,
                ParquetWriterKind.COLUMNAR);
    }

    public PairPrepConfig withVectors(String path) {
        return new PairPrepConfig(inputs, format, output, split, seed, minChars, path, vectorSize, minDocFreq, fitFrom, overwrite, writer);
    }

    public PairPrepConfig withSplit(SplitFractions s) {
        return new PairPrepConfig(inputs, format, output, s, seed, minChars, vectors, vectorSize, minDocFreq, fitFrom, overwrite, writer);
    }

    public PairPrepConfig withFitFrom(String dir) {
        return new PairPrepConfig(inputs, format, output, split, seed, minChars, vectors, vectorSize, minDocFreq, dir, overwrite, writer);
    }

    public PairPrepConfig withVectorSize(int size) {
        return new PairPrepConfig(inputs, format, output, split, seed, minChars, vectors, size, minDocFreq, fitFrom, overwrite, writer);
    }

    public PairPrepConfig withWriter(ParquetWriterKind w) {
        return new PairPrepConfig(inputs, format, output, split, seed, minChars, vectors, vectorSize, minDocFreq, fitFrom, overwrite, w);
    }

    public PairPrepConfig withOverwrite(boolean o) {
        return new PairPrepConfig(inputs, format, output, split, seed, minChars, vectors, vectorSize, minDocFreq, fitFrom, o, writer);
    }
}
