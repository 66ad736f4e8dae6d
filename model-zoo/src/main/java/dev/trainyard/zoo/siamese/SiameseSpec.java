package dev.trainyard.zoo.siamese;

import java.util.List;

/**
 * The Siamese duplicate-question network as a table of choices (research notes, Quora): one shared
 * tower of dense layers with batch normalisation and residual connections, then either the
 * Euclidean distance with a contrastive loss or a fully connected head on pair features.
 *
 * @param inputDim     length of each question vector
 * @param hidden       tower widths, one dense layer each (notes: three layers of 128)
 * @param norm         batch normalisation before ReLU (the notes' best), after it, none, or SELU: a
 *                     self-normalising tower (SELU, LeCun-normal weights, alpha dropout, no batch norm)
 * @param residual     add each layer's input to its output where the widths match
 * @param concat       the tower's output is the concatenation of every layer's output (notes: +1%)
 * @param head         distance + contrastive loss, or an FC classifier on pair features (notes: 0.84)
 * @param fcSize       width of the FC head's hidden layer
 * @param dropout      probability of dropping a unit after each tower layer (0 = none)
 * @param margin       contrastive margin
 * @param updater      ADAM (the notes) or SGD (plain; used to prove distributed == local)
 * @param learningRate step size
 * @param l2           L2 weight decay (0 = none)
 * @param seed         weight initialisation seed
 * @param encoder      null: each question is one vector (the prep's TF-IDF-weighted mean of word
 *                     vectors) and the tower is dense; else the question's token ids go through this
 *                     sequence encoder first (inputDim is then the word-vector dimension)
 */
public record SiameseSpec(int inputDim, List<Integer> hidden, Norm norm, boolean residual, boolean concat, Head head,
                          int fcSize, double dropout, double margin, Updater updater, double learningRate, double l2,
                          long seed, SequenceEncoder encoder) {

    public enum Norm { BEFORE_RELU, AFTER_RELU, NONE, SELU }

    public enum Head { DISTANCE, FC }

    public enum Updater { ADAM, SGD }

    public SiameseSpec {
        hidden = List.copyOf(hidden);
        if (inputDim <= 0) {
            throw new IllegalArgumentException("input dimension must be > 0, got " + inputDim);
        }
        if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("hidden layer sizes must be a non-empty list of positive widths, got " + hidden);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0,1), got " + dropout);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!(margin > 0)) {
            throw new IllegalArgumentException("margin must be > 0, got " + margin);
        }
        if (fcSize <= 0) {
            throw new IllegalArgumentException("FC head size must be > 0, got " + fcSize);
        }
        if (l2 < 0) {
            throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
        }
    }

    /** The notes' best network: 3 x 128, BN before ReLU, residual, distance head, Adam. */
    public static SiameseSpec defaults(int inputDim) {
        return new SiameseSpec(inputDim, List.of(128, 128, 128), Norm.BEFORE_RELU, true, false, Head.DISTANCE,
                64, 0.0, 1.0, Updater.ADAM, 1e-3, 0.0, 42, null);
    }

    public SiameseSpec withHead(Head h) {
        return new SiameseSpec(inputDim, hidden, norm, residual, concat, h, fcSize, dropout, margin, updater, learningRate, l2, seed, encoder);
    }

    public SiameseSpec withNorm(Norm n) {
        return new SiameseSpec(inputDim, hidden, n, residual, concat, head, fcSize, dropout, margin, updater, learningRate, l2, seed, encoder);
    }

    public SiameseSpec withConcat(boolean c) {
        return new SiameseSpec(inputDim, hidden, norm, residual, c, head, fcSize, dropout, margin, updater, learningRate, l2, seed, encoder);
    }

    public SiameseSpec withResidual(boolean r) {
        return new SiameseSpec(inputDim, hidden, norm, r, concat, head, fcSize, dropout, margin, updater, learningRate, l2, seed, encoder);
    }

    public SiameseSpec withDropout(double d) {
        return new SiameseSpec(inputDim, hidden, norm, residual, concat, head, fcSize, d, margin, updater, learningRate, l2, seed, encoder);
    }

    public SiameseSpec withUpdater(Updater u, double lr) {
        return new SiameseSpec(inputDim, hidden, norm, residual, concat, head, fcSize, dropout, margin, u, lr, l2, seed, encoder);
    }

    public SiameseSpec withHidden(List<Integer> h) {
        return new SiameseSpec(inputDim, h, norm, residual, concat, head, fcSize, dropout, margin, updater, learningRate, l2, seed, encoder);
    }

    public SiameseSpec withInputDim(int d) {
        return new SiameseSpec(d, hidden, norm, residual, concat, head, fcSize, dropout, margin, updater, learningRate, l2, seed, encoder);
    }

    public SiameseSpec withEncoder(SequenceEncoder e) {
        return new SiameseSpec(inputDim, hidden, norm, residual, concat, head, fcSize, dropout, margin, updater, learningRate, l2, seed, e);
    }

    /** True when the network reads token ids (a sequence encoder) rather than one vector per question. */
    public boolean readsTokens() {
        return encoder != null;
    }

    public SiameseSpec withSeed(long s) {
        return new SiameseSpec(inputDim, hidden, norm, residual, concat, head, fcSize, dropout, margin, updater, learningRate, l2, s, encoder);
    }

}
