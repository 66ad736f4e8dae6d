import dev.trainyard.zoo.besnet.BesNet;
import dev.trainyard.zoo.besnet.BesNetSpec;
import dev.trainyard.zoo.video.TemporalPadding;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * BesNet-50's training step (bench besnet's: 2 clips of 8 x 112 x 112) under two values of a system
 * property that the layers read when built (e.g. trainyard.native-frame-ops), as two copies of the
 * net in one JVM stepping in turn, the order alternating inside each pair. Two separate processes
 * on this shared 2-core VM differ by 10-20% from run to run, so a change of a few percent shows
 * only this way. 3 untimed steps each, then PAIRS pairs; prints each pair and the median ratio.
 *
 *     java -cp "spark-jobs/target/trainyard.jar:$(cat spark-jobs/target/spark-classpath.txt)" docs/experiments/StepAB.java PROPERTY A B [PAIRS]
 */
public class StepAB {
    public static void main(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: StepAB PROPERTY A B [PAIRS]");
        }
        dev.trainyard.spark.NativeCpu.configure();
        String property = args[0];
        int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        BesNetSpec spec = new BesNetSpec(50, 1.0, 400, 8, 112, 112, new int[]{1, 2}, TemporalPadding.ZERO,
                BesNetSpec.Order.RELU_BN, 1.0, 1, 0, 1e-3, 0, 1);
        System.setProperty(property, args[1]);
        ComputationGraph a = BesNet.build(spec);
        System.setProperty(property, args[2]);
        ComputationGraph b = BesNet.build(spec);
        b.setParams(a.params().dup());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 112, 112);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 400);
        y.putScalar(0, 0, 1);
        y.putScalar(1, 1, 1);
        for (int i = 0; i < 3; i++) {
            step(a, x, y);
            step(b, x, y);
        }
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            double ta;
            double tb;
            if (i % 2 == 0) {
                ta = step(a, x, y);
                tb = step(b, x, y);
            } else {
                tb = step(b, x, y);
                ta = step(a, x, y);
            }
            ratios[i] = ta / tb;
            System.out.printf("pair %2d: %s=%s %.3f s, %s=%s %.3f s, A / B %.3f%n", i + 1, property, args[1], ta, property, args[2], tb, ratios[i]);
        }
        Arrays.sort(ratios);
        double median = pairs % 2 == 1 ? ratios[pairs / 2] : (ratios[pairs / 2 - 1] + ratios[pairs / 2]) / 2;
        System.out.printf("median step time A / B: %.3f (range %.3f-%.3f over %d pairs; above 1: B is faster)%n",
                median, ratios[0], ratios[pairs - 1], pairs);
    }

    private static double step(ComputationGraph net, INDArray x, INDArray y) {
        long t0 = System.nanoTime();
        net.fit(new INDArray[]{x}, new INDArray[]{y});
        return (System.nanoTime() - t0) / 1e9;
    }
}
