package dev.trainyard.zoo.besnet;

import dev.trainyard.zoo.video.FrameWise;
import dev.trainyard.zoo.video.TemporalConvolution;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a 2D ResNet (DL4J zoo layer names) into BesNet weights, as the notes do for ImageNet
 * initialisation: a 1 x 1 kernel becomes 3 x 1 x 1 by copying it to each of the three taps and
 * dividing by 3 (mmaction2's {@code _inflate_conv_params}); 3 x 3 kernels, batch normalisation and
 * the classifier copy unchanged. Every parameter is accounted for in the {@link Report}.
 */
public final class BesNetInflation {
    private BesNetInflation() {
    }

    /** One parameter copied: which, the shapes, and how (copy, inflate_time_x3, var_to_log10std). */
    public record Mapping(String layer, String param, long[] sourceShape, long[] targetShape, String rule) {
        @Override
        public String toString() {
            return layer + "." + param + " " + Arrays.toString(sourceShape) + " -> " + Arrays.toString(targetShape) + " (" + rule + ")";
        }
    }

    /**
     * @param used        parameters copied into BesNet
     * @param unused      2D parameters BesNet has no place for
     * @param mismatched  parameters present on both sides with shapes that do not map (left as initialised)
     * @param missing     BesNet parameters with no 2D source (left as initialised)
     */
    public record Report(List<Mapping> used, List<String> unused, List<String> mismatched, List<String> missing) {
        public boolean complete() {
            return unused.isEmpty() && mismatched.isEmpty() && missing.isEmpty();
        }
    }

    public record Result(ComputationGraph network, BesNetSpec spec, Report report) {
    }

    /**
     * Keras ResNet50 (keras-applications, the 'res2a_branch2a' naming DL4J's zoo copied) names its
     * stem and classifier differently; every block layer has the same name.
     */
    private static final java.util.Map<String, String> KERAS_NAMES = java.util.Map.of(
            "stem-cnn1", "conv1", "stem-batch1", "bn_conv1", BesNet.OUTPUT, "fc1000");

    /** The source layer feeding a BesNet layer: same name, else its Keras name; null when neither exists. */
    public static Layer sourceLayer(ComputationGraph source, String besnetName) {
        var v = source.getVertex(besnetName);
        if (v == null && KERAS_NAMES.containsKey(besnetName)) {
            v = source.getVertex(KERAS_NAMES.get(besnetName));
        }
        return v == null || !v.hasLayer() ? null : v.getLayer();
    }

    /** The number of classes of the source's classifier. */
    public static int sourceClasses(ComputationGraph source) {
        Layer out = sourceLayer(source, BesNet.OUTPUT);
        if (out == null) {
            throw new IllegalArgumentException("the 2D network has no classifier named 'output' (DL4J zoo) or 'fc1000' (Keras)");
        }
        return (int) ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) out.conf().getLayer()).getNOut();
    }

    /**
     * The BesNet spec that matches a 2D source: ResNet's BN-then-ReLU order and the source's
     * stage-2 stride; clip shape, dilations and padding from {@code base}.
     */
    public static BesNetSpec specFor(ComputationGraph source, BesNetSpec base) {
        Layer first = sourceLayer(source, "res2a_branch2a");
        if (first == null) {
            throw new IllegalArgumentException("the 2D network has no layer 'res2a_branch2a': not a ResNet with DL4J zoo layer names");
        }
        int stride = (int) ((ConvolutionLayer) first.conf().getLayer()).getStride()[0];
        return base.toBuilder().order(BesNetSpec.Order.BN_RELU).residualBeta(1.0).firstStageStride(stride).build();
    }

    public static Result inflate(ComputationGraph source, BesNetSpec spec) {
        ComputationGraph target = BesNet.build(spec);
        List<Mapping> used = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> sourceParams = new LinkedHashSet<>(source.paramTable().keySet());
        for (Layer t : target.getLayers()) {
            if (t.numParams() == 0) {
                continue;
            }
            String name = t.conf().getLayer().getLayerName();
            Layer s = sourceLayer(source, name);
            for (String key : t.paramTable().keySet()) {
                INDArray to = t.getParam(key);
                String sourceKey = s == null ? null : sourceKeyFor(s, key);
                if (sourceKey == null) {
                    missing.add(name + "." + key);
                    continue;
                }
                INDArray from = s.getParam(sourceKey);
                String rule = copy(t, key, sourceKey, from, to, s);
                if (rule == null) {
                    mismatched.add(name + "." + key + ": 2D " + Arrays.toString(from.shape()) + ", BesNet " + Arrays.toString(to.shape()));
                    continue;
                }
                used.add(new Mapping(name, key, from.shape(), to.shape(), rule));
                sourceParams.remove(s.conf().getLayer().getLayerName() + "_" + sourceKey);
            }
        }
        return new Result(target, spec, new Report(used, List.copyOf(sourceParams), mismatched, missing));
    }

    /** The source parameter feeding a BesNet one: same key, or a variance where BesNet keeps log10(std). */
    private static String sourceKeyFor(Layer s, String key) {
        if (s.paramTable().containsKey(key)) {
            return key;
        }
        if ("log10stdev".equals(key) && s.paramTable().containsKey("var")) {
            return "var";
        }
        return null;
    }

    /** Copies one parameter; returns the rule used, or null when the shapes do not map. */
    private static String copy(Layer t, String key, String sourceKey, INDArray from, INDArray to, Layer s) {
        boolean temporal = t.conf().getLayer() instanceof TemporalConvolution;
        if (temporal && "W".equals(key)) {
            long out = to.size(0) / TemporalConvolution.TAPS;
            if (from.rank() != 4 || from.size(0) != out || from.size(1) != to.size(1) || from.size(2) != 1 || from.size(3) != 1) {
                return null;
            }
            // taps are stacked along the output axis; assigned whole because ND4J M2.1 loses the
            // buffer of a view of this (already viewed) parameter
            INDArray tap = from.div(TemporalConvolution.TAPS).castTo(to.dataType());
            to.assign(org.nd4j.linalg.factory.Nd4j.concat(0, tap, tap, tap));
            return "inflate_time_x3";
        }
        if (!"var".equals(sourceKey)) {
            if (!Arrays.equals(from.shape(), to.shape()) && from.length() == to.length() && from.rank() <= 2 && to.rank() <= 2) {
                to.assign(from.reshape(to.shape()));
                return "copy";
            }
            if (!Arrays.equals(from.shape(), to.shape())) {
                return null;
            }
            to.assign(from);
            return "copy";
        }
        if (from.length() != to.length()) {
            return null;
        }
        // the source's epsilon: DL4J keeps log10(sqrt(var + eps)), so the source's eps is baked in as the source computes it
        org.deeplearning4j.nn.conf.layers.Layer c = s.conf().getLayer();
        double eps = ((BatchNormalization) (c instanceof FrameWise fw ? fw.getUnderlying() : c)).getEps();
        to.assign(Transforms.log(Transforms.sqrt(from.add(eps), true), 10.0, false).reshape(to.shape()));
        return "var_to_log10std";
    }
}
