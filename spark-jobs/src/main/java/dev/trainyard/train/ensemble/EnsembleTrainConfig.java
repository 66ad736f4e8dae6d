package dev.trainyard.train.ensemble;

import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.ConvNetSpec;
import dev.trainyard.zoo.ensemble.MemberSampling;

import java.io.Serializable;
import java.util.Objects;

/**
 * {@code trainyard train ensemble}: N independent ConvNets, one Spark task each.
 *
 * @param member          the ConvNet every member uses; member m is seeded {@code seed + m}
 * @param sampleFraction  with BOOTSTRAP: each member draws this share of the training set, with replacement
 */
public record EnsembleTrainConfig(String data, String output, int members, MemberSampling sampling, double sampleFraction,
                                  ConvNetSpec member, Combiner combiner, int epochs, int batchSize, long seed)
        implements Serializable {
    public EnsembleTrainConfig {
        Objects.requireNonNull(data, "--data");
        Objects.requireNonNull(output, "--output");
        if (members < 1) {
            throw new IllegalArgumentException("--members must be >= 1, got " + members);
        }
        if (!(sampleFraction > 0) || sampleFraction > 10) {
            throw new IllegalArgumentException("--sample-fraction must be in (0, 10], got " + sampleFraction);
        }
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--epochs and --batch-size must be >= 1");
        }
    }
}
