package dev.trainyard.zoo.ensemble;

import dev.trainyard.zoo.layers.NativeConvolution;
import dev.trainyard.zoo.layers.SelfNormalising;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/**
 * The research notes' "simple MNIST ConvNet" as a table. The notes do not give its layers; the
 * default is the classic Keras MNIST CNN: 3x3 convolutions of 32 and 64 filters, 2x2 max pooling,
 * dropout 0.25, a dense layer of 128, dropout 0.5, softmax. A MultiLayerNetwork, so input
 * gradients (FGSM) come from {@code calculateGradients}.
 *
 * @param filters     one 3x3 ReLU convolution per entry, in order, then one 2x2 max pool
 * @param dropConv    drop probability after the pooling (0 = none)
 * @param dropDense   drop probability after the dense layer (0 = none)
 * @param selu        self-normalising (research notes, SELU): SELU activations, LeCun-normal weights, alpha dropout
 */
public record ConvNetSpec(int height, int width, int channels, int numClasses, List<Integer> filters, int dense,
                          double dropConv, double dropDense, double learningRate, long seed, boolean selu) implements java.io.Serializable {
    public ConvNetSpec {
        filters = List.copyOf(filters);
        if (height < 4 || width < 4 || channels < 1 || numClasses < 2 || dense < 1 || filters.isEmpty()) {
            throw new IllegalArgumentException("ConvNet needs an image of at least 4x4, >= 1 channel, >= 2 classes, filters and a dense layer");
        }
        if (dropConv < 0 || dropConv >= 1 || dropDense < 0 || dropDense >= 1) {
            throw new IllegalArgumentException("dropout probabilities must be in [0,1)");
        }
    }

    public ConvNetSpec(int height, int width, int channels, int numClasses, List<Integer> filters, int dense,
                       double dropConv, double dropDense, double learningRate, long seed) {
        this(height, width, channels, numClasses, filters, dense, dropConv, dropDense, learningRate, seed, false);
    }

    public static ConvNetSpec mnist(long seed) {
        return new ConvNetSpec(28, 28, 1, 10, List.of(32, 64), 128, 0.25, 0.5, 1e-3, seed);
    }

    public ConvNetSpec withSeed(long s) {
        return new ConvNetSpec(height, width, channels, numClasses, filters, dense, dropConv, dropDense, learningRate, s, selu);
    }

    public ConvNetSpec withSize(List<Integer> f, int d) {
        return new ConvNetSpec(height, width, channels, numClasses, f, d, dropConv, dropDense, learningRate, seed, selu);
    }

    /** This architecture for images of {@code h x w} and {@code classes} classes (the data's, not MNIST's). */
    public ConvNetSpec forImages(int h, int w, int classes) {
        return new ConvNetSpec(h, w, channels, classes, filters, dense, dropConv, dropDense, learningRate, seed, selu);
    }

    public ConvNetSpec withSelu(boolean s) {
        return new ConvNetSpec(height, width, channels, numClasses, filters, dense, dropConv, dropDense, learningRate, seed, s);
    }

    /** Standard dropout (DL4J's argument is the probability of keeping a unit), or alpha dropout for SELU nets. */
    private DropoutLayer dropout(double rate) {
        return selu ? new DropoutLayer.Builder().dropOut(SelfNormalising.alphaDropout(rate)).build() : new DropoutLayer.Builder(1 - rate).build();
    }

    /**
     * One member seen two ways over one parameter array: the graph that Trainyard's trainers fit (every network
     * trains as a ComputationGraph) and the layer stack that FGSM's input gradients and the ensemble use. A step
     * of the graph moves the layer stack with it.
     */
    public record Trainable(ComputationGraph graph, MultiLayerNetwork layers) {
    }

    /** This ConvNet as a {@link Trainable}, initialised as {@link #build()} initialises it. */
    public Trainable buildTrainable() {
        ComputationGraph graph = build().toComputationGraph();
        return new Trainable(graph, layersOver(graph));
    }

    /** This ConvNet as a layer stack over {@code graph}'s parameter array (a graph this spec built, trained or not). */
    public MultiLayerNetwork layersOver(ComputationGraph graph) {
        MultiLayerNetwork layers = new MultiLayerNetwork(configuration());
        layers.init(graph.params(), false);
        return layers;
    }

    public MultiLayerNetwork build() {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration());
        net.init();
        return net;
    }

    private MultiLayerConfiguration configuration() {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(new Adam(learningRate))
                .weightInit(selu ? SelfNormalising.WEIGHT_INIT : WeightInit.RELU)
                .list();
        Activation act = selu ? SelfNormalising.ACTIVATION : Activation.RELU;
        for (int f : filters) {
            // native conv2d ops: DL4J's own layer runs im2col and a product, twice per step (docs/benchmarks.md)
            b.layer(new NativeConvolution(new ConvolutionLayer.Builder(3, 3).nOut(f).activation(act).build()));
        }
        b.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        if (dropConv > 0) {
            b.layer(dropout(dropConv));
        }
        b.layer(new DenseLayer.Builder().nOut(dense).activation(act).build());
        if (dropDense > 0) {
            b.layer(dropout(dropDense));
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses).activation(Activation.SOFTMAX).build());
        return b.setInputType(InputType.convolutional(height, width, channels)).build();
    }
}
