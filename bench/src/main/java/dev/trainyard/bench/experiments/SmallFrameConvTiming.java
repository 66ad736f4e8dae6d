package dev.trainyard.bench.experiments;

import dev.trainyard.zoo.layers.SmallFrameConvBackward;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of BesNet-50's 3x3 spatial convolutions at 112 x 112 clips (2 clips x 8 frames),
 * libnd4j's conv2d_bp against SmallFrameConvBackward, per stage's frame size, with the forward
 * conv2d of the same size for scale; best of 5 rounds of 5,
 * twice. docs/benchmarks.md's "Small frames" figures. DNNL_VERBOSE=1 shows which oneDNN algorithm
 * conv2d_bp runs (Winograd for these shapes).
 *
 *     java -cp "spark-jobs/target/trainyard.jar:bench/target/trainyard-bench.jar:$(cat spark-jobs/target/spark-classpath.txt)" dev.trainyard.bench.experiments.SmallFrameConvTiming
 */
public class SmallFrameConvTiming {
    public static void main(String[] args) {
        int frames = 16;
        int[][] stages = {{512, 4}, {256, 7}, {128, 14}};  // channels, frame size
        for (int round = 0; round < 2; round++) {
            for (int[] s : stages) {
                int c = s[0];
                int hw = s[1];
                INDArray w = Nd4j.rand(DataType.FLOAT, c, c, 3, 3);
                INDArray b = Nd4j.rand(DataType.FLOAT, c);
                INDArray x = Nd4j.rand(DataType.FLOAT, frames, c, hw, hw);
                INDArray dy = Nd4j.rand(DataType.FLOAT, frames, c, hw, hw);
                INDArray gx = x.ulike();
                INDArray gw = w.ulike();
                INDArray gb = b.ulike();
                INDArray y = dy.ulike();
                double forward = bestMs(() -> Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b)
                        .addOutputs(y).addIntegerArguments(3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 1).build()));
                double bp = bestMs(() -> Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, dy)
                        .addOutputs(gx, gw, gb).addIntegerArguments(3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 1).build()));
                double small = bestMs(() -> SmallFrameConvBackward.backprop(x, w, dy, gx, gw, gb, false));
                System.out.printf("%d channels, %dx%d frames: forward conv2d %.2f ms; backward: conv2d_bp %.2f ms, "
                        + "two forward convolutions %.2f ms%n", c, hw, hw, forward, bp, small);
            }
        }
    }

    private static double bestMs(Runnable r) {
        r.run();
        r.run();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                r.run();
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 5e6;
    }
}
