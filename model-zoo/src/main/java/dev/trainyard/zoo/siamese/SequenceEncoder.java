package dev.trainyard.zoo.siamese;

/**
 * The sequence tower of the Siamese network (research notes, Quora update: "bidirectional RNN and
 * 1D convolutional layers together as feature extractors"): token ids through a word-vector
 * embedding, then a bidirectional LSTM branch and a 1D convolution branch, each max-pooled over
 * the question's real tokens (padding is masked), concatenated. The dense tower of the spec runs on
 * top. DL4J has no GRU layer, so the recurrent branch is an LSTM.
 *
 * @param vocabulary         embedding rows: the prep vocabulary plus its padding and out-of-vocabulary ids
 * @param trainableEmbedding false keeps the word vectors fixed (no updates, no weight decay)
 * @param maxLength          questions are cut to their first maxLength tokens
 * @param rnnUnits           LSTM units per direction (0 = no recurrent branch)
 * @param convFilters        1D convolution filters (0 = no convolution branch)
 * @param convKernel         width of the 1D convolution in tokens
 */
public record SequenceEncoder(int vocabulary, boolean trainableEmbedding, int maxLength, int rnnUnits, int convFilters,
                              int convKernel) {

    public SequenceEncoder {
        if (vocabulary < 2) {
            throw new IllegalArgumentException("vocabulary must hold at least the padding and out-of-vocabulary ids, got " + vocabulary);
        }
        if (maxLength <= 0) {
            throw new IllegalArgumentException("max length must be > 0 tokens, got " + maxLength);
        }
        if (rnnUnits < 0 || convFilters < 0 || rnnUnits + convFilters == 0) {
            throw new IllegalArgumentException("the sequence tower needs a recurrent or a convolution branch (rnn units "
                    + rnnUnits + ", conv filters " + convFilters + ")");
        }
        if (convFilters > 0 && (convKernel <= 0 || convKernel > maxLength)) {
            throw new IllegalArgumentException("conv kernel must be in 1.." + maxLength + " tokens, got " + convKernel);
        }
    }

    /** Both branches, 64 LSTM units each way and 64 trigram filters, over the first 40 tokens. */
    public static SequenceEncoder defaults(int vocabulary, boolean trainableEmbedding) {
        return new SequenceEncoder(vocabulary, trainableEmbedding, 40, 64, 64, 3);
    }

    /** Width of the pooled, concatenated output. */
    public int outputWidth() {
        return 2 * rnnUnits + convFilters;
    }

    public SequenceEncoder withVocabulary(int v) {
        return new SequenceEncoder(v, trainableEmbedding, maxLength, rnnUnits, convFilters, convKernel);
    }
}
