package dev.trainyard.train.video;

import dev.trainyard.train.TrainingConfig;
import dev.trainyard.zoo.besnet.BesNetSpec;

import java.util.Objects;

/**
 * {@code trainyard train besnet}: the clip dataset, the model directory, the network and how to train.
 *
 * @param spec      the network; its classes, clip length and frame size are taken from the dataset
 * @param init      a BesNet model zip to start from (e.g. from {@code trainyard inflate}); null = random init
 * @param devSplit  split scored after every epoch ("val" in Kinetics layouts); absent = no dev loss
 * @param resume    continue from the last checkpoint in {@code output}
 * @param overwrite replace an existing model directory
 */
public record BesNetTrainConfig(String data, String output, BesNetSpec spec, String init, String devSplit,
                                TrainingConfig training, boolean resume, boolean overwrite) {
    public BesNetTrainConfig {
        Objects.requireNonNull(data, "--data");
        Objects.requireNonNull(output, "--output");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(training, "training");
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        }
    }
}
