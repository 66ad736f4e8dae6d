package dev.trainyard.zoo.besnet;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BesNet tells motion directions apart, which only its temporal layers can do: in clips of a bar moving left or
 * right every single frame has the same distribution in both classes, and a clip played backwards is a clip of the
 * other class. Every training step draws new clips, so nothing can be memorised.
 */
class BesNetLearnsMotionTest {
    private static final int FRAMES = 8;
    private static final int SIZE = 32;
    private static final int MAX_STEPS = 400;

    @Test
    void heldOutClipsAreClassifiedByDirectionAndReversingTimeFlipsTheClass() {
        ComputationGraph net = BesNet.build(BesNetSpec.tiny(2, FRAMES, SIZE));
        MovingBars training = new MovingBars(1);
        INDArray[] heldOutClips = new MovingBars(99).batch(128, false);
        double heldOut = 0;
        int step = 0;
        while (step < MAX_STEPS && heldOut < 0.9) {
            for (int i = 0; i < 25; i++, step++) {
                INDArray[] xy = training.batch(8, false);
                net.fit(new INDArray[]{xy[0]}, new INDArray[]{xy[1]});
            }
            heldOut = accuracy(net, heldOutClips);
        }
        assertTrue(heldOut >= 0.9, "held-out accuracy " + heldOut + " after " + step + " steps (chance 0.5)");
        // the same held-out clips backwards: a net that reads direction gives the other class
        double reversed = accuracy(net, new MovingBars(99).batch(128, true));
        System.out.printf("motion: held-out accuracy %.3f after %d steps, %.3f on the clips reversed%n", heldOut, step, reversed);
        assertTrue(reversed <= 0.2, "accuracy " + reversed + " on time-reversed clips against their forward labels");
    }

    private static double accuracy(ComputationGraph net, INDArray[] xy) {
        INDArray predicted = net.outputSingle(false, xy[0]).argMax(1);
        return predicted.eq(xy[1].argMax(1)).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }

    /**
     * Clips [n, 3, frames, size, size] of a 2-pixel-wide bar of random length, height and colour channel on noise,
     * moving 4 pixels a frame left (class 0) or right (class 1) and wrapping at the edge; labels one-hot [n, 2].
     * Generators of one seed give the same clips.
     */
    private static final class MovingBars {
        private static final int SPEED = 4;
        private final SplittableRandom random;

        MovingBars(long seed) {
            random = new SplittableRandom(seed);
        }

        INDArray[] batch(int n, boolean reversed) {
            float[] x = new float[n * 3 * FRAMES * SIZE * SIZE];
            float[] y = new float[n * 2];
            for (int i = 0; i < n; i++) {
                int direction = random.nextInt(2);
                y[i * 2 + direction] = 1;
                int left = random.nextInt(SIZE);
                int top = random.nextInt(SIZE - 8);
                int length = 4 + random.nextInt(5);
                int channel = random.nextInt(3);
                for (int t = 0; t < FRAMES; t++) {
                    int time = reversed ? FRAMES - 1 - t : t;
                    int column = left + (direction == 0 ? -SPEED : SPEED) * time;
                    for (int c = 0; c < 3; c++) {
                        for (int h = 0; h < SIZE; h++) {
                            for (int w = 0; w < SIZE; w++) {
                                boolean bar = c == channel && h >= top && h < top + length && Math.floorMod(w - column, SIZE) < 2;
                                x[(((i * 3 + c) * FRAMES + t) * SIZE + h) * SIZE + w] = 0.2f * (float) random.nextDouble() + (bar ? 0.8f : 0);
                            }
                        }
                    }
                }
            }
            return new INDArray[]{Nd4j.create(x, new long[]{n, 3, FRAMES, SIZE, SIZE}), Nd4j.create(y, new long[]{n, 2})};
        }
    }
}
