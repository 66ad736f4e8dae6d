package dev.trainyard.cli;

import dev.trainyard.eval.Evaluations;
import dev.trainyard.eval.ModelFamily;
import dev.trainyard.prep.common.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained model. Siamese: accuracy (threshold from dev or the model; --threshold-from), precision, recall, F1, ROC AUC,",
                "log loss, confusion matrix and the majority-class baseline. BesNet: top-1/top-5 per clip and per video",
                "(clips averaged), per-class accuracy, confusion matrix. Ensembles: accuracy per combiner on clean and",
                "adversarial data. Writes FILE.json and FILE.html."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR")
    String model;

    @Option(names = "--data", required = true, paramLabel = "DIR")
    String data;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "FILE.json")
    String output;

    @Option(names = "--split", defaultValue = "test", description = "Split to report (never dev: a threshold may be chosen there). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--threshold-from", defaultValue = "auto", paramLabel = "auto|dev|model|VALUE",
            description = {"Siamese: where the decision threshold comes from: the data's dev split, the rule recorded in the",
                    "model at training, or a value (a probability; a distance for the distance head). auto: dev when the data",
                    "has labelled dev pairs, else the model's rule. Default: ${DEFAULT-VALUE}."})
    String thresholdFrom;

    @Option(names = "--adversarial", paramLabel = "DIR", description = "Ensembles: also evaluate on these datasets (e.g. from 'attack fgsm'); repeatable.")
    java.util.List<String> adversarial = new java.util.ArrayList<>();

    @Option(names = "--sizes", split = ",", paramLabel = "K",
            description = "Ensembles: also score the ensembles of the first K members (what --members K trains), e.g. 1,5,25.")
    java.util.List<Integer> sizes = new java.util.ArrayList<>();

    @Option(names = "--reference-error", paramLabel = "E",
            description = {"The diagnosis' reference error (human level or best known, in [0,1]); default: the majority-class",
                    "baseline's. Every report compares train, dev and test error with it (avoidable bias, variance, dev-test gap)."})
    Double referenceError;

    @Mixin
    SparkOptions sparkOptions;

    /** What an evaluation reads and writes, as {@code --dry-run} reports it. */
    record Request(String model, String data, String split, java.util.List<String> adversarial, java.util.List<Integer> sizes,
                   Double referenceError, String output, String thresholdFrom) {
    }

    @Override
    public Integer call() {
        Request r = new Request(model, data, split, adversarial, sizes, referenceError, output, thresholdFrom);
        return sparkOptions.run("trainyard evaluate", r, spark -> System.out.println(Json.write(Evaluations.run(spark,
                new ModelFamily.Request(r.model(), r.data(), r.split(), r.adversarial(), r.sizes(), r.referenceError(), r.output(),
                        r.thresholdFrom())))));
    }
}
