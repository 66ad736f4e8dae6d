package dev.trainyard.cli;

import dev.trainyard.zoo.besnet.BesNetSpec;
import dev.trainyard.zoo.video.TemporalPadding;
import picocli.CommandLine.Option;

import java.util.List;

/** BesNet architecture options shared by {@code train besnet} and {@code inflate}. */
final class BesNetOptions {
    @Option(names = "--depth", defaultValue = "50", description = "18, 34, 50 or 101. Default: ${DEFAULT-VALUE}.")
    int depth;

    @Option(names = "--width-multiplier", defaultValue = "1.0", description = "Scales every channel count (0.125: tiny). Default: ${DEFAULT-VALUE}.")
    double widthMultiplier;

    @Option(names = "--dilations", defaultValue = "1,2", split = ",",
            description = "Temporal dilations drawn per minibatch (averaged at test time); 1 = no dilation. Default: ${DEFAULT-VALUE}.")
    List<Integer> dilations;

    @Option(names = "--temporal-padding", defaultValue = "zero", paramLabel = "zero|replicate",
            description = "Frames beyond the clip: zero, or the edge frame repeated. Default: ${DEFAULT-VALUE}.")
    TemporalPadding padding;

    @Option(names = "--order", defaultValue = "relu-bn", paramLabel = "relu-bn|bn-relu",
            description = "relu-bn: the notes (ReLU then batch norm per layer); bn-relu: ResNet. Default: ${DEFAULT-VALUE}.")
    BesNetSpec.Order order;

    @Option(names = "--residual-beta", defaultValue = "1.0", description = "Scale of each residual branch. Default: ${DEFAULT-VALUE}.")
    double residualBeta;

    @Option(names = "--first-stage-stride", defaultValue = "1", description = "Spatial stride of stage 2 (DL4J's zoo ResNet50 uses 2). Default: ${DEFAULT-VALUE}.")
    int firstStageStride;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout before the classifier. Default: ${DEFAULT-VALUE}.")
    double dropout;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Adam step size. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--l2", defaultValue = "0.00001", description = "Weight decay. Default: ${DEFAULT-VALUE}.")
    double l2;

    /** Classes, clip length and frame size are placeholders a job replaces (from the data or the 2D source). */
    BesNetSpec spec(int classes, int frames, int height, int width, long seed) {
        return new BesNetSpec(depth, widthMultiplier, classes, frames, height, width,
                dilations.stream().mapToInt(Integer::intValue).toArray(), padding,
                order, residualBeta, firstStageStride, dropout, learningRate, l2, seed);
    }
}
