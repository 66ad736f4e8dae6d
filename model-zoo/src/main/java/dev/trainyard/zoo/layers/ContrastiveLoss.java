package dev.trainyard.zoo.layers;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Contrastive loss on a distance d (Hadsell, Chopra, LeCun 2006), as the research notes' Keras
 * Siamese network used: {@code y * d^2 + (1 - y) * max(0, margin - d)^2}, y = 1 for a similar pair.
 * Input is the [N, 1] output of an {@code L2Vertex}; serialises in the model JSON by class name.
 */
public class ContrastiveLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    @JsonProperty("margin")
    private double margin;

    public ContrastiveLoss() {
        this(1.0);
    }

    public ContrastiveLoss(@JsonProperty("margin") double margin) {
        if (!(margin > 0)) {
            throw new IllegalArgumentException("contrastive margin must be > 0, got " + margin);
        }
        this.margin = margin;
    }

    public double getMargin() {
        return margin;
    }

    private INDArray scoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray d = activationFn.getActivation(preOutput.dup(), true);
        INDArray y = labels.castTo(d.dataType());
        INDArray similar = y.mul(d).muli(d);
        INDArray hinge = Transforms.relu(d.rsub(margin), false);
        INDArray dissimilar = y.rsub(1.0).muli(hinge).muli(hinge);
        INDArray out = similar.addi(dissimilar);
        if (mask != null) {
            out.muli(mask.castTo(out.dataType()));
        }
        return out;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = scoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return scoreArray(labels, preOutput, activationFn, mask).sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray d = activationFn.getActivation(preOutput.dup(), true);
        INDArray y = labels.castTo(d.dataType());
        // dL/dd = 2 y d - 2 (1 - y) max(0, m - d)
        INDArray grad = y.mul(d).muli(2.0);
        INDArray hinge = Transforms.relu(d.rsub(margin), false);
        grad.subi(y.rsub(1.0).muli(hinge).muli(2.0));
        if (mask != null) {
            grad.muli(mask.castTo(grad.dataType()));
        }
        return activationFn.backprop(preOutput.dup(), grad).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "contrastive(margin=" + margin + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContrastiveLoss c && c.margin == margin;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(margin);
    }

    @Override
    public String toString() {
        return name();
    }
}
