package dev.trainyard.zoo.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;

/**
 * A stock 2D convolution layer (with its activation) whose forward and backward passes run as
 * ND4J's native {@code conv2d} / {@code conv2d_bp} ops ({@link NativeConvolutionLayer}) instead of
 * DL4J's im2col and matrix product. Parameters, their names, shapes and initialisation are the
 * wrapped layer's, so a network trains as with the stock layer; a layer the native ops cannot
 * compute exactly (see {@link NativeConv2d#supportsWithAnyActivation}) runs as the stock layer.
 */
public class NativeConvolution extends BaseWrapperLayer {
    private static final long serialVersionUID = 1L;

    public NativeConvolution(@JsonProperty("underlying") ConvolutionLayer underlying) {
        super(underlying);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return new NativeConvolutionLayer(WrappedLayers.instantiate(underlying, conf, listeners, layerIndex, paramsView,
                initializeParams, dataType));
    }
}
