package dev.trainyard.zoo.layers;

import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Self-normalising networks (research notes, SELU): SELU activations with the notes' constants,
 * LeCun-normal weights (variance 1/fan-in) and alpha dropout keep activations near mean 0 and
 * variance 1 through deep stacks without batch normalisation. DL4J's SELU and AlphaDropout use
 * exactly these constants ({@code SelfNormalisingTest} checks them against the notes'); this class
 * names the three choices so every model applies them together.
 */
public final class SelfNormalising {
    /** The notes' alpha and lambda (Klambauer et al. 2017). */
    public static final double ALPHA = 1.6732632423543772848170429916717;
    public static final double LAMBDA = 1.0507009873554804934193349852946;
    public static final Activation ACTIVATION = Activation.SELU;
    public static final WeightInit WEIGHT_INIT = WeightInit.LECUN_NORMAL;

    private SelfNormalising() {
    }

    /**
     * Alpha dropout dropping units with probability {@code dropRate}: dropped units are set to
     * -lambda*alpha (SELU's negative saturation) and an affine correction a*x + b restores mean 0
     * and variance 1. (DL4J's argument is the probability of keeping a unit.)
     */
    public static IDropout alphaDropout(double dropRate) {
        if (!(dropRate > 0) || dropRate >= 1) {
            throw new IllegalArgumentException("alpha dropout rate must be in (0,1), got " + dropRate);
        }
        return new AlphaDropout(1.0 - dropRate);
    }
}
