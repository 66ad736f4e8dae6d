package dev.trainyard.train;

import dev.trainyard.prep.text.FittedText;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.TextNormalizer;
import dev.trainyard.zoo.siamese.SiameseSpec;
import dev.trainyard.zoo.siamese.TokenBatch;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a Siamese network reads from a prepared pair dataset: one TF-IDF-mean vector per question
 * (the dense tower), or the question's token ids, cut to the encoder's max length (the sequence
 * tower; {@link PairExample}'s arrays then hold the ids, exact in float below 2^24). Makes the
 * minibatches for training, dev loss and scoring alike, masks included.
 *
 * @param maxTokens 0 for vectors, else the number of tokens read per question
 */
public record PairFeatures(int maxTokens) implements Serializable {
    public static final PairFeatures VECTORS = new PairFeatures(0);

    public static PairFeatures of(SiameseSpec spec) {
        return spec.readsTokens() ? new PairFeatures(spec.encoder().maxLength()) : VECTORS;
    }

    public boolean tokens() {
        return maxTokens > 0;
    }

    /** pair id, first question, second question, label. */
    public String[] columns() {
        return tokens()
                ? new String[]{PairSchema.PAIR_ID, PairSchema.Q1_TOKEN_IDS, PairSchema.Q2_TOKEN_IDS, PairSchema.LABEL}
                : new String[]{PairSchema.PAIR_ID, PairSchema.Q1_VECTOR, PairSchema.Q2_VECTOR, PairSchema.LABEL};
    }

    /** The columns {@link #toExample} reads, in its order. */
    public Dataset<Row> select(Dataset<Row> df) {
        return df.select(Arrays.stream(columns()).map(functions::col).toArray(Column[]::new));
    }

    public PairExample toExample(Row r) {
        if (!tokens()) {
            return new PairExample(r.getString(0), floats(r.getList(1)), floats(r.getList(2)), r.getInt(3));
        }
        return new PairExample(r.getString(0), ids(r.getList(1)), ids(r.getList(2)), r.getInt(3));
    }

    /** A pair from a prepared row's two feature columns ({@link #featureColumns()}), unlabelled. */
    public PairExample fromColumns(String pairId, Row r, int q1, int q2) {
        if (!tokens()) {
            return new PairExample(pairId, floats(r.getList(q1)), floats(r.getList(q2)), 0);
        }
        return new PairExample(pairId, ids(r.getList(q1)), ids(r.getList(q2)), 0);
    }

    /** An unlabelled pair from its two questions' vectors (a vector network). */
    public PairExample fromVectors(float[] q1, float[] q2) {
        return new PairExample("", q1, q2, 0);
    }

    /** An unlabelled pair from its two questions' token ids (a sequence network), cut to the encoder's length. */
    public PairExample fromTokenIds(int[] q1, int[] q2) {
        return new PairExample("", idsAsFloats(q1), idsAsFloats(q2), 0);
    }

    /** The prepared columns the network reads: the two questions' vectors, or their token ids. */
    public String[] featureColumns() {
        String[] c = columns();
        return new String[]{c[1], c[2]};
    }

    /**
     * A pair given as raw text, turned into what the network reads exactly as {@code prep pairs} does with the same
     * fit: normalised, tokenised, mapped to the fit's ids, then the TF-IDF-weighted mean vector or the ids.
     */
    public PairExample fromText(String pairId, String question1, String question2, FittedText text) {
        int[] ids1 = text.tokenIds(TextNormalizer.tokenize(TextNormalizer.normalize(question1)));
        int[] ids2 = text.tokenIds(TextNormalizer.tokenize(TextNormalizer.normalize(question2)));
        if (!tokens()) {
            return new PairExample(pairId, text.weightedMean(ids1), text.weightedMean(ids2), 0);
        }
        return new PairExample(pairId, idsAsFloats(ids1), idsAsFloats(ids2), 0);
    }

    private float[] idsAsFloats(int[] ids) {
        float[] f = new float[Math.min(ids.length, maxTokens)];
        for (int i = 0; i < f.length; i++) {
            f[i] = ids[i];
        }
        return f;
    }

    public MultiDataSet toMultiDataSet(List<PairExample> batch) {
        float[][] y = new float[batch.size()][1];
        for (int i = 0; i < y.length; i++) {
            y[i][0] = batch.get(i).label();
        }
        INDArray[] labels = {Nd4j.create(y)};
        if (!tokens()) {
            return new org.nd4j.linalg.dataset.MultiDataSet(vectors(batch), labels);
        }
        List<int[]> a = new ArrayList<>(batch.size());
        List<int[]> b = new ArrayList<>(batch.size());
        for (PairExample e : batch) {
            a.add(toInts(e.q1()));
            b.add(toInts(e.q2()));
        }
        TokenBatch t = TokenBatch.of(a, b, maxTokens);
        return new org.nd4j.linalg.dataset.MultiDataSet(t.features(), labels, t.masks(), null);
    }

    private static INDArray[] vectors(List<PairExample> batch) {
        int n = batch.size();
        int d = batch.get(0).q1().length;
        float[][] a = new float[n][];
        float[][] b = new float[n][];
        for (int i = 0; i < n; i++) {
            a[i] = batch.get(i).q1();
            b[i] = batch.get(i).q2();
            if (a[i].length != d || b[i].length != d) {
                throw new IllegalArgumentException("pair " + batch.get(i).pairId() + " has vectors of length "
                        + a[i].length + "/" + b[i].length + ", expected " + d);
            }
        }
        return new INDArray[]{Nd4j.create(a), Nd4j.create(b)};
    }

    static float[] floats(List<Float> l) {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = l.get(i);
        }
        return f;
    }

    private float[] ids(List<Integer> l) {
        float[] f = new float[Math.min(l.size(), maxTokens)];
        for (int i = 0; i < f.length; i++) {
            f[i] = l.get(i);
        }
        return f;
    }

    private static int[] toInts(float[] f) {
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) f[i];
        }
        return out;
    }
}
