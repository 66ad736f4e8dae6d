package dev.trainyard.zoo.video;

import dev.trainyard.zoo.layers.WrappedLayers;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
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
 * frame of a clip: a 1 x k x k kernel. The clip {@code [N, T, C, H, W]} is reshaped, without a
 * copy, to {@code [N*T, C, H, W]}, so the stock layer (or, for convolution and batch norm, the
 * same computation as one native op: {@link FrameWiseLayer}) does the work and its parameters keep
 * their 2D names and shapes (what makes 2D weights map one to one). Batch
 * normalisation over N*T frames uses the same per-channel statistics as 3D batch normalisation.
 */
public class FrameWise extends BaseWrapperLayer {
    private static final long serialVersionUID = 1L;

    public FrameWise(@JsonProperty("underlying") Layer underlying) {
        super(underlying);
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
