package dev.trainyard.zoo.video;

import dev.trainyard.zoo.layers.WrappedLayers;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;

/**
 * Applies a 2D layer (convolution, batch normalisation, pooling, padding, activation) to every
 * frame of a clip: a 1 x k x k kernel. The clip {@code [N, T, H, W, C]} is reshaped, without a
 * copy, to NHWC frames {@code [N*T, H, W, C]} (the wrapped layer's data format is set to NHWC), so
 * the stock layer (or, for convolution and batch norm, the same computation as one native op:
 * {@link FrameWiseLayer}) does the work and its parameters keep their 2D names and shapes (what
 * makes 2D weights map one to one: DL4J keeps convolution weights {@code [out, in, kH, kW]} in
 * either format). Batch
 * normalisation over N*T frames uses the same per-channel statistics as 3D batch normalisation.
 */
public class FrameWise extends BaseWrapperLayer {
    private static final long serialVersionUID = 1L;

    public FrameWise(@JsonProperty("underlying") Layer underlying) {
        super(channelsLast(underlying));
    }

    /** The clips are channels-last, so the frames are NHWC: a 2D layer with a data format is set to it. */
    private static Layer channelsLast(Layer layer) {
        if (layer instanceof ConvolutionLayer c) {
            c.setCnn2dDataFormat(CNN2DFormat.NHWC);
        } else if (layer instanceof BatchNormalization b) {
            b.setCnn2DFormat(CNN2DFormat.NHWC);
        } else if (layer instanceof SubsamplingLayer s) {
            s.setCnn2dDataFormat(CNN2DFormat.NHWC);
        } else if (layer instanceof ZeroPaddingLayer z) {
            z.setDataFormat(CNN2DFormat.NHWC);
        }
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return new FrameWiseLayer(WrappedLayers.instantiate(underlying, conf, listeners, layerIndex, paramsView,
                initializeParams, dataType));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        var clip = ClipShapes.requireClip(inputType, "FrameWise(" + getLayerName() + ")");
        return ClipShapes.withFrame(clip, underlying.getOutputType(layerIndex, ClipShapes.frame(clip)));
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        underlying.setNIn(ClipShapes.frame(ClipShapes.requireClip(inputType, "FrameWise(" + getLayerName() + ")")), override);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }
}
