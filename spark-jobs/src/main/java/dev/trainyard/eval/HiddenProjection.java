package dev.trainyard.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dimensionalityreduction.PCA;

import java.util.List;

/**
 * Where clean and adversarial inputs land in a member's last hidden layer, in two dimensions. The
 * notes use t-SNE; this uses PCA fitted on the clean points only, so every dataset is drawn in the
 * same axes and the drift of the adversarial points is the picture (t-SNE embeds each set anew).
 */
public final class HiddenProjection {
    private HiddenProjection() {
    }

    /** The last hidden layer's activations (the input of the output layer). */
    static INDArray hidden(MultiLayerNetwork net, INDArray x) {
        List<INDArray> acts = net.feedForward(x, false);
        INDArray h = acts.get(acts.size() - 2);
        return h.reshape(h.size(0), h.length() / h.size(0)).castTo(DataType.DOUBLE);
    }

    /**
     * @param clean     hidden activations of clean inputs: fits the projection
     * @param sets      every dataset's hidden activations (clean included), labels and predictions
     */
    static ObjectNode project(INDArray clean, List<Points> sets) {
        INDArray mean = clean.mean(0);
        INDArray factor = PCA.pca_factor(clean.subRowVector(mean), 2, false);
        ObjectNode out = Json.object();
        out.put("method", "PCA of the clean points (2 components), applied to every dataset");
        ArrayNode arr = out.putArray("datasets");
        for (Points p : sets) {
            INDArray xy = p.hidden().subRowVector(mean).mmul(factor);
            ObjectNode d = arr.addObject();
            d.put("data", p.name());
            d.put("adversarial", p.adversarial());
            ArrayNode pts = d.putArray("points");
            for (int i = 0; i < xy.rows(); i++) {
                ArrayNode pt = pts.addArray();
                pt.add(Math.round(xy.getDouble(i, 0) * 1000) / 1000.0);
                pt.add(Math.round(xy.getDouble(i, 1) * 1000) / 1000.0);
                pt.add(p.labels()[i]);
                pt.add(p.predicted()[i]);
            }
        }
        return out;
    }

    record Points(String name, boolean adversarial, INDArray hidden, int[] labels, int[] predicted) {
    }
}
