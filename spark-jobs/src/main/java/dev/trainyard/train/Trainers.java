package dev.trainyard.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Picks the {@link Trainer} for a config. */
public final class Trainers {
    private Trainers() {
    }

    public static Trainer create(JavaSparkContext jsc, ComputationGraph net, TrainingConfig cfg) {
        return switch (cfg.engine()) {
            case SPARK -> new ParameterAveragingTrainer(jsc, net, cfg);
            case LOCAL -> new LocalTrainer(net);
        };
    }
}
