package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of {@link TemporalConvolution}: {@code W} {@code [3*nOut, nIn, 1, 1]} (the three taps
 * stacked, the layout of a 1 x 1 convolution with 3*nOut outputs) and {@code b} {@code [1, nOut]}.
 * Weights are initialised with the fan-in and fan-out of the 3 x 1 x 1 kernel (3*nIn, 3*nOut).
 */
public final class TemporalConvolutionParams implements ParamInitializer {
    public static final TemporalConvolutionParams INSTANCE = new TemporalConvolutionParams();
    public static final String WEIGHT = "W";
    public static final String BIAS = "b";

    private TemporalConvolutionParams() {
    }

    private static TemporalConvolution conf(Layer l) {
        return (TemporalConvolution) l;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        TemporalConvolution c = conf(layer);
        return TemporalConvolution.TAPS * c.getNIn() * c.getNOut() + (c.hasBias() ? c.getNOut() : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return conf(layer).hasBias() ? List.of(WEIGHT, BIAS) : List.of(WEIGHT);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return conf(layer).hasBias() ? List.of(BIAS) : List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
        TemporalConvolution c = conf(conf.getLayer());
        Map<String, INDArray> out = views(c, view);
        if (initialize) {
            long taps = TemporalConvolution.TAPS;
            c.getWeightInitFn().init(taps * c.getNIn(), taps * c.getNOut(), out.get(WEIGHT).shape(), 'c', out.get(WEIGHT));
            if (c.hasBias()) {
                out.get(BIAS).assign(c.getBiasInit());
            }
        }
        return out;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
        return views(conf(conf.getLayer()), view);
    }

    private static Map<String, INDArray> views(TemporalConvolution c, INDArray flat) {
        long w = TemporalConvolution.TAPS * c.getNIn() * c.getNOut();
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(WEIGHT, row.get(NDArrayIndex.interval(0, w))
                .reshape('c', TemporalConvolution.TAPS * c.getNOut(), c.getNIn(), 1, 1));
        if (c.hasBias()) {
            m.put(BIAS, row.get(NDArrayIndex.interval(w, w + c.getNOut())).reshape(1, c.getNOut()));
        }
        return m;
    }
}
