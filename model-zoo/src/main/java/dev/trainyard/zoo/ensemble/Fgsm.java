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
        return step(inputGradient(net, x, labels), x, epsilon, min, max);
    }

    /**
     * White-box against a whole ensemble: the gradient of the sum of the members' losses (every
     * member's input gradient added), the usual FGSM attack on an ensemble's combined output.
     */
    public static INDArray perturb(java.util.List<MultiLayerNetwork> members, INDArray x, INDArray labels, double epsilon,
                                   double min, double max) {
        INDArray grad = null;
        for (MultiLayerNetwork m : members) {
            INDArray g = inputGradient(m, x, labels);
            grad = grad == null ? g.dup() : grad.addi(g);
        }
        return step(grad, x, epsilon, min, max);
    }

    private static INDArray step(INDArray grad, INDArray x, double epsilon, double min, double max) {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        }
        INDArray adv = x.add(Transforms.sign(grad, true).muli(epsilon));
        return Transforms.min(Transforms.max(adv, min, false), max, false);
    }
}
