package dev.trainyard.cli;

import dev.trainyard.check.MemorisationCheck;
import dev.trainyard.prep.common.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true, description = "Checks of a model family on your data.",
        subcommands = {CheckCommand.Memorisation.class})
public final class CheckCommand extends GroupCommand {

    @Command(name = "memorisation", mixinStandardHelpOptions = true,
            description = {"Train the same model on the same inputs with real and with shuffled (seeded) labels: how far training",
                    "accuracy climbs on shuffled labels shows the capacity to memorise; test accuracy must fall to chance, else the",
                    "test split leaks. Question pairs train the Siamese net, images a ConvNet. Writes OUTPUT/memorisation.json + .html."})
    static final class Memorisation implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "A dataset from 'trainyard prep pairs' or 'prep images' (its train split).")
        String data;

        @Option(names = "--test-data", paramLabel = "DIR", description = "Dataset holding the test split (MNIST keeps it apart). Default: --data.")
        String testData;

        @Option(names = "--test-split", defaultValue = "test", description = "Default: ${DEFAULT-VALUE}.")
        String testSplit;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR")
        String output;

        @Option(names = "--limit", defaultValue = "0", description = "Train on the first N training rows (0 = all). Default: ${DEFAULT-VALUE}.")
        int limit;

        @Option(names = "--epochs", defaultValue = "30", description = "Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Mixin
        SeedOption seed;

        @Option(names = "--hidden", split = ",", defaultValue = "128,128,128",
                description = "Siamese tower widths, or ConvNet filters for images (e.g. 32,64). Default: ${DEFAULT-VALUE}.")
        List<Integer> hidden;

        @Option(names = "--dense", defaultValue = "128", description = "ConvNet dense width (images). Default: ${DEFAULT-VALUE}.")
        int dense;

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            MemorisationCheck.Config cfg = new MemorisationCheck.Config(data, testData, testSplit, output, limit, epochs, seed.value(), hidden, dense);
            return sparkOptions.run("trainyard check memorisation", cfg,
                    spark -> System.out.println(Json.write(MemorisationCheck.run(spark, cfg))));
        }
    }
}
