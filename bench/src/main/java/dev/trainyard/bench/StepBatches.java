package dev.trainyard.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * A new minibatch of random clips and random one-hot labels for every training step, the same for
 * a given seed and step. Stepping one fixed minibatch lets the net memorise it: within about ten
 * steps the loss is 0 and the gradients are exactly 0. On the bench's old fixed minibatch, half the
 * steps from about the fifteenth on then took twice as long, most of it in Adam's update
 * (docs/benchmarks.md, "The bench's data"). A real run never sees one minibatch twice in a row.
 */
public record StepBatches(long seed, int batch, int channels, int frames, int height, int width, int classes)
        implements IntFunction<INDArray[][]> {

    public StepBatches {
        if (batch < 1 || channels < 1 || frames < 1 || height < 1 || width < 1 || classes < 1) {
            throw new IllegalArgumentException("every size must be at least 1: " + this);
        }
    }

    /** {@code {features}, {labels}} of step {@code step}: clips {@code [batch, C, T, H, W]} in [0, 1), one class each. */
    @Override
    public INDArray[][] apply(int step) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + step);
        float[] values = new float[Math.toIntExact((long) batch * channels * frames * height * width)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        INDArray x = Nd4j.create(values, new long[]{batch, channels, frames, height, width}, DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, random.nextInt(classes), 1);
        }
        return new INDArray[][]{{x}, {y}};
    }
}
