package dev.trainyard.zoo.ensemble;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Fast gradient sign method (Goodfellow et al. 2015): x' = clip(x + epsilon * sign(dL/dx)), with
 * the loss of the network's own output layer against the true labels, so each pixel moves by
 * epsilon in the direction that raises the loss.
 */
public final class Fgsm {
    private Fgsm() {
    }

    /** dL/dx for a batch (same shape as x). */
    public static INDArray inputGradient(MultiLayerNetwork net, INDArray x, INDArray labels) {
        return net.calculateGradients(x, labels, null, null).getSecond();
    }

    public static INDArray perturb(MultiLayerNetwork net, INDArray x, INDArray labels, double epsilon, double min, double max) {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        }
        INDArray step = Transforms.sign(inputGradient(net, x, labels), true).muli(epsilon);
        INDArray adv = x.add(step);
        return Transforms.min(Transforms.max(adv, min, false), max, false);
    }
}
