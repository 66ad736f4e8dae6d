package dev.trainyard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.registry.PromoteJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Register a trained model as the next version of NAME in a model registry (local, hdfs:// or s3a://) and make it",
                "CURRENT only if it beats the current version on the same test data (the current version is evaluated again",
                "on the candidate's evaluation data). Exit code 3 with --fail-if-kept when the current version stays."})
public final class PromoteCommand implements Callable<Integer> {
    /** Exit code when the candidate did not beat the current version and --fail-if-kept was given. */
    public static final int KEPT = 3;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "From 'trainyard train'.")
    String model;

    @Option(names = "--evaluation", required = true, paramLabel = "FILE.json", description = "The candidate's 'trainyard evaluate' output.")
    String evaluation;

    @Option(names = "--registry", required = true, paramLabel = "DIR", description = "Registry root: local, hdfs:// or s3a://.")
    String registry;

    @Option(names = "--name", required = true, description = "Model name in the registry, e.g. quora-siamese.")
    String name;

    @Option(names = "--metric", paramLabel = "JSON_POINTER",
            description = "Compared value, e.g. /metrics/roc_auc. Default: by model kind (Siamese /metrics/accuracy, BesNet /video_level/top1, ensemble /datasets/0/accuracy/max).")
    String metric;

    @Option(names = "--lower-is-better", description = "The metric is a loss or error.")
    boolean lowerIsBetter;

    @Option(names = "--min-improvement", defaultValue = "0", description = "Margin the candidate must win by. Default: ${DEFAULT-VALUE}.")
    double minImprovement;

    @Option(names = "--fail-if-kept", description = "Exit with code 3 when the current version stays (so a scheduler alerts).")
    boolean failIfKept;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        PromoteJob.Config cfg = new PromoteJob.Config(model, evaluation, registry, name, metric, lowerIsBetter, minImprovement);
        boolean[] promoted = {true};
        int code = sparkOptions.run("trainyard promote", cfg, spark -> {
            ObjectNode d = PromoteJob.run(spark, cfg);
            promoted[0] = d.path("promoted").asBoolean();
            System.out.println(Json.write(d));
        });
        if (code == 0 && !promoted[0] && failIfKept) {
            System.err.println("trainyard promote: " + name + " kept its current version; the candidate was registered but not promoted");
            return KEPT;
        }
        return code;
    }
}
