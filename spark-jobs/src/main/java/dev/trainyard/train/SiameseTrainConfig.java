package dev.trainyard.train;

import dev.trainyard.zoo.siamese.SiameseSpec;

import java.util.Objects;

/**
 * {@code trainyard train siamese}: where the data is, where the model goes, the network and how to train it.
 *
 * @param spec       the network; its {@code inputDim} is taken from the dataset when it is 0
 * @param resume     continue from the last checkpoint in {@code output}
 * @param overwrite  replace an existing model directory
 */
public record SiameseTrainConfig(String data, String output, SiameseSpec spec, TrainingConfig training,
                                 boolean resume, boolean overwrite) {
    public SiameseTrainConfig {
        Objects.requireNonNull(data, "--data");
        Objects.requireNonNull(output, "--output");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(training, "training");
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        }
    }
}
