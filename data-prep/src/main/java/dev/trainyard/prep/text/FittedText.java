package dev.trainyard.prep.text;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Vocabulary, IDF and word vectors fitted on the training split. Id 0 is padding, id 1 is
 * out-of-vocabulary; words start at 2. Broadcast to executors to transform questions.
 */
public final class FittedText implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int PAD_ID = 0;
    public static final int OOV_ID = 1;

    private final Map<String, Integer> ids;
    private final float[] idf;
    private final float[][] vectors;
    private final int dim;

    /**
     * @param ids     word to id (ids from 2)
     * @param idf     indexed by id
     * @param vectors indexed by id; null where a vocabulary word has no vector
     */
    public FittedText(Map<String, Integer> ids, float[] idf, float[][] vectors, int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("word vector dimension must be > 0, got " + dim);
        }
        // a HashMap, not Map.copyOf: Kryo (spark.serializer in deploy/) rebuilds maps by put()
        this.ids = new java.util.HashMap<>(ids);
        this.idf = idf;
        this.vectors = vectors;
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    public int vocabularySize() {
        return ids.size();
    }

    /** Number of ids, padding and out-of-vocabulary included: the rows of an embedding over them. */
    public int idCount() {
        return vectors.length;
    }

    /** Word vectors indexed by id (a copy of the row table; null rows have no vector). */
    public float[][] vectorsById() {
        return vectors.clone();
    }

    public long wordsWithVectors() {
        long n = 0;
        for (float[] v : vectors) {
            n += v == null ? 0 : 1;
        }
        return n;
    }

    public int[] tokenIds(List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.getOrDefault(tokens.get(i), OOV_ID);
        }
        return out;
    }

    /**
     * TF-IDF weighted mean of the word vectors: each occurrence of a word adds idf * vector
     * (so term frequency counts), divided by the sum of weights. Zero vector when no word is known.
     */
    public float[] weightedMean(int[] tokenIds) {
        // sums in float, as pandas' float32 pipeline: the inner loop is a plain float multiply-add
        // (no conversions), and a question's few dozen terms lose nothing a float vector keeps
        float[] out = new float[dim];
        double weight = 0;
        for (int id : tokenIds) {
            if (id < 2 || vectors[id] == null) {
                continue;
            }
            float w = idf[id];
            float[] v = vectors[id];
            for (int d = 0; d < dim; d++) {
                out[d] += w * v[d];
            }
            weight += w;
        }
        if (weight > 0) {
            float inverse = (float) (1.0 / weight);
            for (int d = 0; d < dim; d++) {
                out[d] *= inverse;
            }
        }
        return out;
    }
}
