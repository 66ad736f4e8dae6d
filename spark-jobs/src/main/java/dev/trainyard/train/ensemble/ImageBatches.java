package dev.trainyard.train.ensemble;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/** Labelled images held as bytes (compact enough to broadcast: MNIST is 47 MB) and cut into DL4J minibatches. */
public record ImageBatches(byte[][] pixels, int[] labels, int height, int width, int numClasses) implements Serializable {

    public int size() {
        return labels.length;
    }

    /** Features [n, 1, H, W] scaled to [0, 1], one-hot labels, for the given example indices. */
    public DataSet batch(int[] indices, int from, int to) {
        int n = to - from;
        int px = height * width;
        float[] x = new float[n * px];
        float[] y = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            int e = indices[from + i];
            byte[] p = pixels[e];
            for (int j = 0; j < px; j++) {
                x[i * px + j] = (p[j] & 0xff) / 255f;
            }
            y[i * numClasses + labels[e]] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[]{n, 1, height, width}, 'c');
        return new DataSet(features, Nd4j.create(y, new long[]{n, numClasses}, 'c'));
    }

    public DataSet all() {
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return batch(idx, 0, idx.length);
    }
}
