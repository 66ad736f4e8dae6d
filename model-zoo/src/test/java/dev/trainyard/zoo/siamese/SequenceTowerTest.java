package dev.trainyard.zoo.siamese;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceTowerTest {
    private static final int DIM = 8;
    private static final int VOCAB = 30;

    private static SiameseSpec spec(boolean trainable, int rnn, int conv) {
        return SiameseSpec.defaults(DIM).withHidden(List.of(16))
                .withEncoder(new SequenceEncoder(VOCAB, trainable, 12, rnn, conv, 3));
    }

    private static ComputationGraph net(SiameseSpec spec) {
        ComputationGraph net = SiameseNetwork.build(spec);
        Random r = new Random(7);
        float[][] vectors = new float[VOCAB][];
        for (int i = 2; i < VOCAB; i += 2) { // every other word has a vector, as with a real vocabulary
            vectors[i] = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                vectors[i][d] = (float) r.nextGaussian();
            }
        }
        SequenceTower.setEmbedding(net, vectors);
        return net;
    }

    private static INDArray distance(ComputationGraph net, TokenBatch b) {
        return net.output(false, b.features(), b.masks())[0];
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void paddingAQuestionToALongerBatchDoesNotChangeItsDistance(int branches) {
        // 0: both branches, 1: LSTM only, 2: convolution only
        ComputationGraph net = net(spec(true, branches == 2 ? 0 : 6, branches == 1 ? 0 : 5));
        int[] a = {3, 4, 5};
        int[] b = {6, 4, 9, 2};
        INDArray alone = distance(net, TokenBatch.of(List.of(a), List.of(b), 12));
        // the same pair in a batch whose longest question has 9 tokens: a and b get 6 and 5 padding steps
        INDArray padded = distance(net, TokenBatch.of(List.of(a, new int[]{2, 3, 4, 5, 6, 7, 8, 9, 10}),
                List.of(b, new int[]{11}), 12));
        assertEquals(alone.getDouble(0, 0), padded.getDouble(0, 0), 1e-5, "padding must be invisible to the tower");
    }

    @Test
    void swappingTheQuestionsGivesTheSameDistanceAndIdenticalQuestionsAreAtZero() {
        ComputationGraph net = net(spec(false, 6, 5));
        List<int[]> a = List.of(new int[]{3, 4, 5}, new int[]{7, 1, 8, 8});
        List<int[]> b = List.of(new int[]{6, 4}, new int[]{2, 3, 4, 5, 6});
        INDArray ab = distance(net, TokenBatch.of(a, b, 12));
        INDArray ba = distance(net, TokenBatch.of(b, a, 12));
        assertTrue(ab.equalsWithEps(ba, 1e-5), ab + " vs " + ba);
        assertEquals(0.0, distance(net, TokenBatch.of(a, a, 12)).maxNumber().doubleValue(), 1e-4);
        assertTrue(ab.minNumber().doubleValue() > 1e-4);
    }

    @Test
    void wordOrderMattersToTheSequenceTowerUnlikeAMeanOfVectors() {
        ComputationGraph net = net(spec(true, 6, 5));
        INDArray d = distance(net, TokenBatch.of(List.of(new int[]{2, 4, 6, 8}), List.of(new int[]{8, 6, 4, 2}), 12));
        assertTrue(d.getDouble(0, 0) > 1e-4, "a reordered question is a different sequence");
    }

    @Test
    void tokensPastTheMaxLengthAreCutOff() {
        ComputationGraph net = net(spec(true, 6, 5));
        int[] longQ = new int[20];
        for (int i = 0; i < longQ.length; i++) {
            longQ[i] = 2 + i % 20;
        }
        int[] first12 = java.util.Arrays.copyOf(longQ, 12);
        TokenBatch b = TokenBatch.of(List.of(longQ), List.of(first12), 12);
        assertEquals(12, b.features()[0].size(2));
        assertEquals(0.0, distance(net, b).getDouble(0, 0), 1e-5);
    }

    @Test
    void aFrozenEmbeddingKeepsItsWordVectorsWhileATrainableOneLearns() {
        for (boolean trainable : new boolean[]{false, true}) {
            ComputationGraph net = net(spec(trainable, 6, 5).withSeed(3));
            INDArray embeddingBefore = net.getLayer(SequenceTower.EMBEDDING).getParam("W").dup();
            INDArray lstmBefore = net.getLayer("bilstm").params().dup();
            Random r = new Random(11);
            for (int step = 0; step < 5; step++) {
                List<int[]> a = new java.util.ArrayList<>();
                List<int[]> b = new java.util.ArrayList<>();
                float[][] y = new float[8][1];
                for (int i = 0; i < 8; i++) {
                    a.add(new int[]{2 + r.nextInt(VOCAB - 2), 2 + r.nextInt(VOCAB - 2), 2 + r.nextInt(VOCAB - 2)});
                    b.add(new int[]{2 + r.nextInt(VOCAB - 2), 2 + r.nextInt(VOCAB - 2)});
                    y[i][0] = r.nextInt(2);
                }
                TokenBatch batch = TokenBatch.of(a, b, 12);
                net.fit(new MultiDataSet(batch.features(), new INDArray[]{Nd4j.create(y)}, batch.masks(), null));
            }
            INDArray embeddingAfter = net.getLayer(SequenceTower.EMBEDDING).getParam("W");
            assertEquals(!trainable, embeddingBefore.equals(embeddingAfter), "trainable=" + trainable + ": embedding changed?");
            assertFalse(lstmBefore.equals(net.getLayer("bilstm").params()), "the LSTM must learn either way");
        }
    }

    @Test
    void theTowerIsAsWideAsItsBranches() {
        assertEquals(2 * 6 + 5, spec(true, 6, 5).encoder().outputWidth());
        ComputationGraph net = net(spec(true, 6, 0));
        assertEquals(16, net.getLayer("dense_0").getParam("W").rows() + 4);
    }

    @Test
    void badEncodersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SequenceEncoder(VOCAB, true, 12, 0, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new SequenceEncoder(1, true, 12, 4, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> new SequenceEncoder(VOCAB, true, 2, 4, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> SequenceTower.setEmbedding(net(spec(true, 6, 5)), new float[VOCAB - 1][]));
    }
}
