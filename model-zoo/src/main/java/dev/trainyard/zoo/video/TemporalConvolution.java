package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional3D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * A 3 x 1 x 1 convolution over time with <b>random temporal dilation</b> (BesNet): in training
 * each minibatch uses one dilation d from {@link #getDilations()}, padded by d so the clip keeps
 * its T frames; in inference the layer averages the outputs of every dilation. The pick is a hash
 * of (seed, layer index, iteration, epoch), so runs repeat, a resumed run continues the sequence,
 * and parameter-averaging workers that carry the iteration count agree.
 *
 * <p>It never calls a dilated convolution (the oneDNN build has none). A 3 x 1 x 1 kernel is three
 * 1 x 1 kernels ({@code W} is {@code [3*nOut, nIn, 1, 1]}, tap k in rows {@code k*nOut..}) applied
 * to frames {@code t-d, t, t+d}; with the clip seen as one row per pixel (channels last,
 * {@link PixelRows}), each tap over a run of frames of one clip is one matrix product whose rows
 * are offset by d frames, accumulated straight into the output ({@link TemporalTaps}). A spatial
 * stride (ResNet's strided 1 x 1 convolutions) picks the pixels that become rows.
 */
public class TemporalConvolution extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;
    public static final int TAPS = 3;

    private int[] dilations = {1, 2};
    private TemporalPadding padding = TemporalPadding.ZERO;
    private int spatialStride = 1;
    private boolean hasBias = true;
    private long dilationSeed;

    private TemporalConvolution() {
        // for JSON
    }

    private TemporalConvolution(Builder b) {
        super(b);
        this.dilations = b.dilations.clone();
        this.padding = b.padding;
        this.spatialStride = b.spatialStride;
        this.hasBias = b.hasBias;
        this.dilationSeed = b.dilationSeed;
        initializeConstraints(b);
    }

    public int[] getDilations() {
        return dilations.clone();
    }

    public TemporalPadding getPadding() {
        return padding;
    }

    public int getSpatialStride() {
        return spatialStride;
    }

    public boolean hasBias() {
        return hasBias;
    }

    public long getDilationSeed() {
        return dilationSeed;
    }

    /** The dilation a training minibatch uses: a pure function of seed, layer, iteration and epoch. */
    public int dilationFor(int layerIndex, int iteration, int epoch) {
        if (dilations.length == 1) {
            return dilations[0];
        }
        long h = dilationSeed ^ 0x9E3779B97F4A7C15L * (layerIndex + 1L);
        h = mix(h + 0xBF58476D1CE4E5B9L * (iteration + 1L));
        h = mix(h + 0x94D049BB133111EBL * (epoch + 1L));
        return dilations[(int) Math.floorMod(h, (long) dilations.length)];
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        TemporalConvolutionLayer layer = new TemporalConvolutionLayer(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> table = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(table);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return TemporalConvolutionParams.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputTypeConvolutional3D c = ClipShapes.requireClip(inputType, "TemporalConvolution(" + getLayerName() + ")");
        return ClipShapes.clip(c.getDepth(), strided(c.getHeight()), strided(c.getWidth()), nOut);
    }

    private long strided(long size) {
        return (size - 1) / spatialStride + 1;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = ClipShapes.requireClip(inputType, "TemporalConvolution(" + getLayerName() + ")").getChannels();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        // input and output as pixel rows; training adds their gradients
        long pixelRows = out.arrayElementsPerExample() / nOut * (nIn + nOut);
        return new LayerMemoryReport.Builder(layerName, TemporalConvolution.class, inputType, out)
                .standardMemory(params, params)
                .workingMemory(0, pixelRows, 0, 2 * pixelRows)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public String toString() {
        return "TemporalConvolution(" + nIn + "->" + nOut + ", dilations " + Arrays.toString(dilations)
                + ", " + padding + ", stride " + spatialStride + ")";
    }

    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        private int[] dilations = {1, 2};
        private TemporalPadding padding = TemporalPadding.ZERO;
        private int spatialStride = 1;
        private boolean hasBias = true;
        private long dilationSeed;

        /** Dilations to draw from in training (and to average over in inference); {1} is a plain 3 x 1 x 1 convolution. */
        public Builder dilations(int... d) {
            if (d.length == 0 || Arrays.stream(d).anyMatch(x -> x < 1)) {
                throw new IllegalArgumentException("dilations must be a non-empty list of values >= 1, got " + Arrays.toString(d));
            }
            this.dilations = d.clone();
            return this;
        }

        public Builder padding(TemporalPadding p) {
            this.padding = p;
            return this;
        }

        public Builder spatialStride(int s) {
            if (s < 1) {
                throw new IllegalArgumentException("spatial stride must be >= 1, got " + s);
            }
            this.spatialStride = s;
            return this;
        }

        public Builder hasBias(boolean b) {
            this.hasBias = b;
            return this;
        }

        public Builder dilationSeed(long seed) {
            this.dilationSeed = seed;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public TemporalConvolution build() {
            return new TemporalConvolution(this);
        }
    }
}
