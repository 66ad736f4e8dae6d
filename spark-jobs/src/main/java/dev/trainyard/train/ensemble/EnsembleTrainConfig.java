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
 * @param adversarialEpsilon FGSM adversarial training (Goodfellow et al.): each minibatch is fitted together with
 *                        its FGSM examples at this epsilon, made on the fly against the member being trained;
 *                        0 = off
 * @param memberWorkers   0: members train in parallel, one Spark task each (the default); W >= 1: members
 *                        train one after another, each by parameter averaging over W workers (for data
 *                        too large for one task)
 * @param memberAveragingFrequency with memberWorkers >= 1: minibatches per worker between averagings
 * @param overwrite       replace an ensemble directory Trainyard wrote earlier
 */
public record EnsembleTrainConfig(String data, String output, int members, MemberSampling sampling, double sampleFraction,
                                  ConvNetSpec member, Combiner combiner, int epochs, int batchSize, long seed,
                                  double adversarialEpsilon, int memberWorkers, int memberAveragingFrequency, boolean overwrite)
        implements Serializable {

    public EnsembleTrainConfig(String data, String output, int members, MemberSampling sampling, double sampleFraction,
                               ConvNetSpec member, Combiner combiner, int epochs, int batchSize, long seed,
                               double adversarialEpsilon, int memberWorkers, int memberAveragingFrequency) {
        this(data, output, members, sampling, sampleFraction, member, combiner, epochs, batchSize, seed, adversarialEpsilon,
                memberWorkers, memberAveragingFrequency, false);
    }

    public EnsembleTrainConfig(String data, String output, int members, MemberSampling sampling, double sampleFraction,
                               ConvNetSpec member, Combiner combiner, int epochs, int batchSize, long seed,
                               double adversarialEpsilon) {
        this(data, output, members, sampling, sampleFraction, member, combiner, epochs, batchSize, seed, adversarialEpsilon, 0, 5);
    }

    public EnsembleTrainConfig(String data, String output, int members, MemberSampling sampling, double sampleFraction,
                               ConvNetSpec member, Combiner combiner, int epochs, int batchSize, long seed) {
        this(data, output, members, sampling, sampleFraction, member, combiner, epochs, batchSize, seed, 0, 0, 5);
    }

    public EnsembleTrainConfig {
        Objects.requireNonNull(data, "--data");
        Objects.requireNonNull(output, "--output");
        if (members < 1) {
            throw new IllegalArgumentException("--members must be >= 1, got " + members);
        }
        if (!(sampleFraction > 0) || sampleFraction > 10) {
            throw new IllegalArgumentException("--sample-fraction must be in (0, 10], got " + sampleFraction);
        }
        if (!(adversarialEpsilon >= 0) || adversarialEpsilon > 1) {
            throw new IllegalArgumentException("--adversarial-training epsilon must be in [0, 1] (pixels are in [0, 1]), got "
                    + adversarialEpsilon);
        }
        if (memberWorkers < 0 || memberAveragingFrequency < 1) {
            throw new IllegalArgumentException("--member-workers must be >= 0 and --member-averaging-frequency >= 1");
        }
        if (memberWorkers > 0 && adversarialEpsilon > 0) {
            throw new IllegalArgumentException("--adversarial-training runs inside one task; it cannot be combined with --member-workers");
        }
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--epochs and --batch-size must be >= 1");
        }
    }
}
