package dev.trainyard.zoo.siamese;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds a {@link SequenceEncoder} to a Siamese graph: embedding, then the recurrent and the
 * convolution branches, each max-pooled over the unmasked tokens, then concatenated. Padding
 * never reaches the output: the feature mask (1 for real tokens) travels through the stack vertex,
 * the LSTM and the pooling, and {@link #setEmbedding} keeps the padding row at zero, which is
 * what the convolution's own zero padding sees at the sequence's end.
 */
public final class SequenceTower {
    public static final String EMBEDDING = "embedding";
    /** Embedding row of padding (prep's id 0). */
    public static final int PAD_ID = 0;

    private SequenceTower() {
    }

    /** Adds the tower on top of {@code input} and returns the name of its output vertex. */
    static String add(ComputationGraphConfiguration.GraphBuilder g, SiameseSpec spec, String input) {
        SequenceEncoder e = spec.encoder();
        EmbeddingSequenceLayer.Builder embedding = new EmbeddingSequenceLayer.Builder().nIn(e.vocabulary())
                .nOut(spec.inputDim()).hasBias(false).weightInit(WeightInit.NORMAL);
        // frozen word vectors: DL4J's frozen wrapper (no update, no weight decay); a NoOp updater alone still moved them
        g.addLayer(EMBEDDING, e.trainableEmbedding() ? embedding.build() : new FrozenLayerWithBackprop(embedding.build()), input);
        List<String> pooled = new ArrayList<>();
        if (e.rnnUnits() > 0) {
            g.addLayer("bilstm", new Bidirectional(Bidirectional.Mode.CONCAT,
                    new LSTM.Builder().nIn(spec.inputDim()).nOut(e.rnnUnits()).activation(Activation.TANH).build()), EMBEDDING);
            g.addLayer("bilstm_pool", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "bilstm");
            pooled.add("bilstm_pool");
        }
        if (e.convFilters() > 0) {
            g.addLayer("conv1d", new Convolution1DLayer.Builder(e.convKernel()).nIn(spec.inputDim()).nOut(e.convFilters())
                    .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), EMBEDDING);
            g.addLayer("conv1d_pool", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "conv1d");
            pooled.add("conv1d_pool");
        }
        if (pooled.size() == 1) {
            return pooled.get(0);
        }
        g.addVertex("encoded", new MergeVertex(), pooled.toArray(String[]::new));
        return "encoded";
    }

    /**
     * Loads word vectors into the embedding: row i is {@code rows[i]} where given; rows without a
     * vector keep their random initialisation, and the padding row is zero.
     */
    public static void setEmbedding(ComputationGraph net, float[][] rows) {
        INDArray w = net.getLayer(EMBEDDING).getParam("W");
        if (rows.length != w.rows()) {
            throw new IllegalArgumentException("embedding has " + w.rows() + " rows but " + rows.length + " word vectors were given");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != null) {
                if (rows[i].length != w.columns()) {
                    throw new IllegalArgumentException("word vector " + i + " has " + rows[i].length + " dimensions, the embedding " + w.columns());
                }
                w.putRow(i, Nd4j.createFromArray(rows[i]).castTo(w.dataType()));
            }
        }
        w.getRow(PAD_ID).assign(0);
    }
}
