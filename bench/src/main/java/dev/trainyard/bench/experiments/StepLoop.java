package dev.trainyard.bench.experiments;

import dev.trainyard.bench.AlternatingSteps;
import dev.trainyard.bench.BesNetBench;
import dev.trainyard.bench.StepBatches;
import dev.trainyard.zoo.besnet.BesNet;
import dev.trainyard.zoo.besnet.BesNetSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BesNet-50 training steps on 2 clips of 8 x 112 x 112, as `trainyard bench besnet` takes them, with
 * nothing else in the process: the 2048^3 product's GFLOP/s first (the same process's own baseline),
 * then 3 untimed steps, then the timed ones, one line each. docs/experiments/step-threads.sh runs it
 * on one and on two threads; docs/benchmarks.md ("The step on two threads") attaches perf to it.
 *
 *     java -cp "spark-jobs/target/trainyard.jar:bench/target/trainyard-bench.jar:$(cat spark-jobs/target/spark-classpath.txt)" dev.trainyard.bench.experiments.StepLoop 12
 *
 * A second argument {@code fixed} steps the bench's one minibatch of before 2026-11-28 over and
 * over instead (ND4J's random clips drawn right after the build, classes 0 and 1), the one whose
 * memorisation slowed the updater down; {@code same} steps StepBatches' first minibatch over and
 * over, which did not. Each line has the step's loss too.
 */
public class StepLoop {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        // "fixed" and "same" step one minibatch over and over, which the net memorises
        String data = args.length > 1 ? args[1] : "fresh";
        System.out.printf("gemm_gflops %.1f%n", BesNetBench.matmulGflops(2048, 5, false));
        BesNetSpec spec = BesNetBench.stepSpec(50, 1.0, 8, 112);
        ComputationGraph net = BesNet.build(spec);
        // a new random minibatch every step, as the bench takes them (StepBatches says why)
        StepBatches fresh = new StepBatches(spec.seed(), 2, 3, spec.frames(), spec.height(), spec.width(), spec.numClasses());
        // or the bench's one minibatch before 2026-11-28: ND4J's random clips after the build, classes 0 and 1
        INDArray[][] old = {{Nd4j.rand(DataType.FLOAT, 2, 3, 8, 112, 112)}, {Nd4j.zeros(DataType.FLOAT, 2, 400)}};
        old[1][0].putScalar(0, 0, 1);
        old[1][0].putScalar(1, 1, 1);
        INDArray[][] first = fresh.apply(0);
        java.util.function.IntFunction<INDArray[][]> batches = switch (data) {
            case "fixed" -> step -> old;
            case "same" -> step -> first;
            case "fresh" -> fresh;
            default -> throw new IllegalArgumentException("data must be fresh, fixed or same, not " + data);
        };
        for (int i = 0; i < 3; i++) {
            INDArray[][] xy = batches.apply(i);
            net.fit(xy[0], xy[1]);
        }
        System.out.println("warm pid " + ProcessHandle.current().pid());
        for (int i = 0; i < steps; i++) {
            double seconds = AlternatingSteps.step(net, batches.apply(3 + i));
            System.out.printf("step_seconds %.3f loss %.3g%n", seconds, net.score());
        }
    }
}
