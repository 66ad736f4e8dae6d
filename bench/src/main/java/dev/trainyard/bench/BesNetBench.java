package dev.trainyard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.train.BuildInfo;
import dev.trainyard.zoo.besnet.BesNet;
import dev.trainyard.zoo.besnet.BesNetSpec;
import dev.trainyard.zoo.video.ClipShapes;
import dev.trainyard.zoo.video.FrameWise;
import dev.trainyard.zoo.video.TemporalConvolution;
import dev.trainyard.zoo.video.TimeMajor;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * BesNet speed on this machine, every figure beside the ND4J backend's matrix-product GFLOP/s
 * measured in the same run: the two convolution kinds BesNet is made of (1x3x3 as FrameWise 2D,
 * 3x1x1 with dilation as TemporalConvolution), DL4J's stock Convolution3D doing the same dilated
 * 3x1x1 (what BesNet would be without its own layer), and a full training step (forward + backward
 * + update). FLOPs count only convolutions (2 per multiply-add); a training step counts 3x the
 * forward convolutions (forward, input gradient, weight gradient). Batch norm, ReLU and the
 * temporal shifts are extra work the GFLOP/s figure does not credit.
 */
public final class BesNetBench {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.bench");
    /** Square product sizes the peak is the best of. */
    private static final int[] PEAK_SIZES = {1024, 2048, 3072};

    private BesNetBench() {
    }

    /**
     * {@code baseline}, when not null: the training step is also timed for a second BesNet built
     * with that system property, stepping in turn with the default one ({@link AlternatingSteps}).
     */
    public record Config(int depth, double widthMultiplier, int batch, int frames, int size, int steps, int warmup,
                         int layerChannels, int layerSize, AlternatingSteps.PropertySetting baseline) {
    }

    /** The BesNet the training step is timed on: 400 classes, dilations {1, 2}, ReLU then batch norm, Adam 1e-3. */
    public static BesNetSpec stepSpec(int depth, double widthMultiplier, int frames, int size) {
        return new BesNetSpec(depth, widthMultiplier, 400, frames, size, size, new int[]{1, 2},
                dev.trainyard.zoo.video.TemporalPadding.ZERO, BesNetSpec.Order.RELU_BN, 1.0, 1, 0, 1e-3, 0, 1);
    }

    public static ObjectNode run(Config cfg) {
        ObjectNode out = Json.object();
        out.put("bench", "besnet");
        out.set("machine", Machine.describe());
        out.set("config", Json.MAPPER.valueToTree(cfg));
        out.put("nd4j_threads", org.nd4j.linalg.factory.Nd4j.getEnvironment().maxMasterThreads());
        out.put("backend_build", Nd4j.getExecutioner().getEnvironmentInformation().getProperty("blas.vendor", "?"));
        // which device ran the steps (deploy/gpu-check.sh prints these)
        out.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        out.put("device_for_thread", Nd4j.getAffinityManager().getDeviceForCurrentThread());
        Object cudaDevices = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
        if (cudaDevices != null) {
            out.put("cuda_devices", String.valueOf(cudaDevices));
        }
        out.set("versions", BuildInfo.versions("n/a"));
        out.put("native_frame_ops", System.getProperty(dev.trainyard.zoo.video.FrameWiseLayer.NATIVE_OPS, "auto"));
        double peak = matmulPeak(out, "");

        out.set("layers", layerTimings(cfg.layerChannels(), cfg.layerSize(), peak));

        BesNetSpec spec = stepSpec(cfg.depth(), cfg.widthMultiplier(), cfg.frames(), cfg.size());
        ComputationGraph net = BesNet.build(spec);
        // a new random minibatch every step, as in training: a fixed one is memorised (StepBatches says what that did)
        StepBatches batches = new StepBatches(spec.seed(), cfg.batch(), 3, cfg.frames(), cfg.size(), cfg.size(), spec.numClasses());
        double forward = forwardConvFlops(net, batches.apply(0)[0][0]);
        double[] times;
        AlternatingSteps.Result versus = null;
        if (cfg.baseline() == null) {
            times = AlternatingSteps.alone(net, batches, cfg.warmup(), cfg.steps());
        } else {
            ComputationGraph baseline = cfg.baseline().buildWith(() -> BesNet.build(spec));
            // the same starting weights, so both nets do the same arithmetic (when the property leaves the parameters alone)
            if (baseline.numParams() == net.numParams()) {
                baseline.setParams(net.params().dup());
            }
            versus = AlternatingSteps.run(net, baseline, batches, cfg.warmup(), cfg.steps());
            times = versus.first();
        }
        double step = java.util.Arrays.stream(times).average().orElse(Double.NaN);
        double median = AlternatingSteps.median(times);
        // the machine's speed drifts (a shared VM): the peak is the better of a product before and after the steps
        double peakAfter = matmulPeak(out, "_after_steps");
        double best = Math.max(peak, peakAfter);
        out.put("matmul_peak_gflops", best);
        ObjectNode full = out.putObject("training_step");
        full.put("model", "BesNet-" + cfg.depth() + " x" + cfg.widthMultiplier());
        full.put("parameters", net.numParams());
        full.put("clip", cfg.frames() + " x " + cfg.size() + " x " + cfg.size());
        full.put("batch", cfg.batch());
        full.put("forward_conv_gflop", forward / 1e9);
        full.put("data", "a new random minibatch every step (seeded); one minibatch over and over is memorised");
        ArrayNode each = full.putArray("step_seconds");
        for (double seconds : times) {
            each.add(seconds);
        }
        full.put("seconds_per_step", step);
        full.put("median_step_seconds", median);
        full.put("clips_per_second", cfg.batch() / step);
        full.put("gflops", 3 * forward / step / 1e9);
        full.put("ratio_to_matmul", 3 * forward / step / 1e9 / best);
        full.put("gflops_median_step", 3 * forward / median / 1e9);
        full.put("ratio_to_matmul_median_step", 3 * forward / median / 1e9 / best);
        if (versus != null) {
            ObjectNode base = full.putObject("baseline");
            base.put("property", cfg.baseline().toString());
            ArrayNode baseTimes = base.putArray("step_seconds");
            for (double seconds : versus.second()) {
                baseTimes.add(seconds);
            }
            base.put("median_step_seconds", AlternatingSteps.median(versus.second()));
            // per pair: the baseline's step over the default's, taken in turn (above 1: the default is faster)
            double[] ratios = versus.ratios();
            ArrayNode perPair = base.putArray("speedup_per_pair");
            for (double r : ratios) {
                perPair.add(r);
            }
            base.put("speedup_median", versus.medianRatio());
            LOG.info(String.format("baseline %s: median step %.2f s; the default is %.3fx as fast (median of %d pairs, %.3f-%.3f)",
                    cfg.baseline(), AlternatingSteps.median(versus.second()), versus.medianRatio(), ratios.length,
                    java.util.Arrays.stream(ratios).min().orElse(Double.NaN), java.util.Arrays.stream(ratios).max().orElse(Double.NaN)));
        }
        LOG.info(String.format("BesNet-%d training step: %.2f s (median %.2f s) for %d clips (%.2f clips/s), %.1f GFLOP/s = %.2f of the "
                        + "matrix-product peak %.1f (median step: %.2f)", cfg.depth(), step, median, cfg.batch(), cfg.batch() / step,
                3 * forward / step / 1e9, 3 * forward / step / 1e9 / best, best, 3 * forward / median / 1e9 / best));
        return out;
    }

    /**
     * Forward GFLOP/s of BesNet's two convolution kinds and of DL4J's stock 3D convolution, on 4 clips
     * of 8 frames of {@code c} channels, {@code s} x {@code s}; a layer that fails has its error instead.
     */
    static ArrayNode layerTimings(int c, int s, double peak) {
        ArrayNode layers = Json.MAPPER.createArrayNode();
        int b = 4;
        int t = 8;
        INDArray clip = Nd4j.rand(DataType.FLOAT, b, c, t, s, s);
        double flops3x3 = 2.0 * c * c * 9 * s * s * t * b;
        double flops3x1x1 = 2.0 * c * c * 3 * s * s * t * b;
        layers.add(layer("1x3x3 spatial, FrameWise conv2d", graph(new FrameWise(new ConvolutionLayer.Builder(3, 3)
                .nOut(c).convolutionMode(ConvolutionMode.Same).build()), c, t, s, true), clip, flops3x3, peak));
        for (int[] d : new int[][]{{1}, {2}, {1, 2}}) {
            layers.add(layer("3x1x1 temporal, TemporalConvolution, dilations " + java.util.Arrays.toString(d),
                    graph(new TemporalConvolution.Builder().nOut(c).dilations(d).build(), c, t, s, true), clip, flops3x1x1, peak));
        }
        for (int d : new int[]{1, 2}) {
            layers.add(layer("3x1x1 temporal, stock Convolution3D, dilation " + d, graph(new Convolution3D.Builder()
                    .kernelSize(3, 1, 1).dilation(d, 1, 1).padding(d, 0, 0).nOut(c).convolutionMode(ConvolutionMode.Strict)
                    .build(), c, t, s, false), clip, flops3x1x1, peak));
        }
        return layers;
    }

    /**
     * The backend's practical matrix-product peak: the best GFLOP/s of square float products of a
     * few sizes through {@code Nd4j.gemm} into a preallocated output (the BLAS call BesNet's layers
     * make). Also records {@code INDArray.mmuli} at 2048, what sessions 6-9 took as the peak: it
     * measured 110-260 GFLOP/s where gemm runs at 355-430 on the development machine.
     */
    static double matmulPeak(ObjectNode out, String suffix) {
        double peak = 0;
        for (int n : PEAK_SIZES) {
            double g = matmulGflops(n, 5, false);
            out.put("matmul_" + n + "_gflops" + suffix, g);
            peak = Math.max(peak, g);
        }
        double viaMmuli = matmulGflops(2048, 5, true);
        out.put("matmul_2048_mmuli_gflops" + suffix, viaMmuli);
        LOG.info(String.format("matrix-product peak (gemm, n = %s): %.1f GFLOP/s (INDArray.mmuli at 2048: %.1f)",
                java.util.Arrays.toString(PEAK_SIZES), peak, viaMmuli));
        return peak;
    }

    /** Best-of-three GFLOP/s of {@code reps} square float products of size n (through gemm, or mmuli). */
    public static double matmulGflops(int n, int reps, boolean viaMmuli) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        Runnable product = viaMmuli ? () -> a.mmuli(b, c) : () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        product.run();
        // best of three rounds: one round can swing by a third on a shared 2-core VM
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                product.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9 / reps);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /** A one-layer graph over clips of c channels; time-major layers get the TimeMajor adapter in front. */
    private static ComputationGraph graph(org.deeplearning4j.nn.conf.layers.Layer layer, int c, int t, int s, boolean timeMajor) {
        var g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).activation(Activation.IDENTITY).updater(new Sgd(0.0))
                .graphBuilder().addInputs("in");
        InputType in = timeMajor ? ClipShapes.clip(t, s, s, c)
                : InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, t, s, s, c);
        g.setInputTypes(in);
        String prev = "in";
        if (timeMajor) {
            g.addLayer("tm", new TimeMajor(), "in");
            prev = "tm";
        }
        g.addLayer("layer", layer, prev).setOutputs("layer");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /**
     * Forward time of one layer (its input already in the layer's layout), best of 5 after a warm-up,
     * inside a workspace as in training: every pass reuses the memory the first one took, so the
     * figure is the layer's work, not the page faults of fresh arrays (which can be most of a 3x1x1
     * layer's time).
     */
    private static ObjectNode layer(String name, ComputationGraph net, INDArray clip, double flops, double peak) {
        INDArray input = net.getConfiguration().getVertices().containsKey("tm") ? ClipShapes.fromNcdhw(clip) : clip;
        Layer l = net.getLayer("layer");
        ObjectNode r = Json.object();
        r.put("layer", name);
        try {
            var mgr = LayerWorkspaceMgr.builder().defaultWorkspace("TRAINYARD_BENCH_LAYER",
                    WorkspaceConfiguration.builder().policyLearning(LearningPolicy.FIRST_LOOP)
                            .policySpill(SpillPolicy.REALLOCATE).build()).build();
            double best = Double.MAX_VALUE;
            for (int i = -2; i < 5; i++) {
                try (var ws = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
                    long t0 = System.nanoTime();
                    l.setInput(input, mgr);
                    l.activate(false, mgr);
                    if (i >= 0) {
                        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
            r.put("seconds", best);
            r.put("gflops", flops / best / 1e9);
            r.put("ratio_to_matmul", flops / best / 1e9 / peak);
            LOG.info(String.format("%s: %.1f GFLOP/s (%.2f of the matrix product)", name, flops / best / 1e9, flops / best / 1e9 / peak));
        } catch (RuntimeException e) {
            r.put("error", String.valueOf(e.getMessage()));
            LOG.info("{}: fails: {}", name, e.getMessage());
        }
        return r;
    }

    /** Forward convolution FLOPs of a BesNet, from one inference pass's activation shapes. */
    static double forwardConvFlops(ComputationGraph net, INDArray x) {
        Map<String, INDArray> acts = net.feedForward(new INDArray[]{x}, false, false);
        double flops = 0;
        for (GraphVertex v : net.getVertices()) {
            if (!v.hasLayer() || v.getLayer().numParams() == 0) {
                continue;
            }
            var conf = v.getLayer().conf().getLayer();
            INDArray out = acts.get(v.getVertexName());
            if (conf instanceof TemporalConvolution tc) {
                flops += 2.0 * tc.getNIn() * TemporalConvolution.TAPS * tc.getNOut() * out.length() / tc.getNOut();
            } else if (conf instanceof ConvolutionLayer cl) {
                int[] k = cl.getKernelSize();
                flops += 2.0 * cl.getNIn() * k[0] * k[1] * out.length();
            }
        }
        return flops;
    }
}
