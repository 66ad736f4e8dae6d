package dev.trainyard.cli;

import dev.trainyard.eval.EvaluateConfig;
import dev.trainyard.eval.EvaluateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained model: accuracy (threshold chosen on dev), precision, recall, F1, ROC AUC, log loss,",
                "confusion matrix and the majority-class baseline. Writes FILE.json and FILE.html."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR")
    String model;

    @Option(names = "--data", required = true, paramLabel = "DIR")
    String data;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "FILE.json")
    String output;

    @Option(names = "--split", defaultValue = "test", description = "Split to report (never dev: the threshold is chosen there). Default: ${DEFAULT-VALUE}.")
    String split;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        EvaluateConfig cfg = new EvaluateConfig(model, data, output, split);
        return sparkOptions.run("trainyard evaluate", spark -> {
            EvaluateJob.run(spark, cfg);
        });
    }
}
