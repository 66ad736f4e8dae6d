package dev.trainyard.zoo.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/** What Trainyard's wrapper layers (BesNet's {@code FrameWise}, {@link NativeConvolution}) share. */
public final class WrappedLayers {
    private WrappedLayers() {
    }

    /**
     * The runtime layer of {@code underlying}, the layer a wrapper configuration holds, built on the
     * wrapper's own parameter views so its parameters keep the wrapped layer's names and shapes.
     */
    public static org.deeplearning4j.nn.api.Layer instantiate(Layer underlying, NeuralNetConfiguration conf,
                                                              Collection<TrainingListener> listeners, int layerIndex,
                                                              INDArray paramsView, boolean initializeParams, DataType dataType) {
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(((BaseWrapperLayer) inner.getLayer()).getUnderlying());
        return underlying.instantiate(inner, listeners, layerIndex, paramsView, initializeParams, dataType);
    }
}
