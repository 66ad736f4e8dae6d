package dev.trainyard.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Picks the {@link Trainer} for a config. */
public final class Trainers {
    private Trainers() {
    }

    /**
     * In local mode the workers run in this JVM, so their ND4J thread count is set here; on a
     * cluster the executors' own settings apply.
     */
    public static Trainer create(JavaSparkContext jsc, ComputationGraph net, TrainingConfig cfg) {
        if (cfg.engine() == TrainingConfig.Engine.LOCAL || jsc.isLocal()) {
            Nd4jThreads.set(cfg.effectiveThreads());
        }
        return switch (cfg.engine()) {
            case SPARK -> new ParameterAveragingTrainer(jsc, net, cfg);
            case LOCAL -> new LocalTrainer(net);
        };
    }
}
