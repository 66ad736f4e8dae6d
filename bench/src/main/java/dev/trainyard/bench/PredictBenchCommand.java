package dev.trainyard.bench;

import dev.trainyard.cli.SeedOption;
import dev.trainyard.cli.SparkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Scoring rows/s per model family: the Spark ML models (trainyard predict's path) on the executors against",
                "one JVM calling DL4J's output() in a loop over the same rows, at its best ND4J thread count. Trains small",
                "models on SYNTHETIC data first. Run it with --master local[N] for N local executor cores."})
final class PredictBenchCommand implements Callable<Integer> {
    @Option(names = "--pairs", defaultValue = "200000", description = "Question pairs scored. Default: ${DEFAULT-VALUE}.")
    int pairs;

    @Option(names = "--images", defaultValue = "30000", description = "Images scored. Default: ${DEFAULT-VALUE}.")
    int images;

    @Option(names = "--videos-per-class", defaultValue = "8", description = "Synthetic videos per class (10 classes, 2 clips each). "
            + "Default: ${DEFAULT-VALUE}.")
    int videos;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed runs per side after one warm-up; best reported. "
            + "Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--families", defaultValue = "siamese,ensemble,besnet", split = ",",
            description = "Which model families to measure. Default: ${DEFAULT-VALUE}.")
    List<String> families;

    @Mixin
    SeedOption seed;

    @Option(names = "--work", defaultValue = "bench-results/predict-work", description = "Where the synthetic data and models go. "
            + "Default: ${DEFAULT-VALUE}.")
    Path work;

    @Option(names = {"--output", "-o"}, defaultValue = "bench-results/predict.json", description = "Default: ${DEFAULT-VALUE}.")
    Path output;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        return sparkOptions.run("trainyard bench predict", spark -> {
            try {
                BenchCommand.write(output, PredictBench.run(spark, new PredictBench.Config(pairs, images, videos, repeats, seed.value(), work,
                        families)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
