package dev.trainyard.cli;

import dev.trainyard.demo.DemoConfig;
import dev.trainyard.demo.DemoJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole pipeline on embedded Spark: generate synthetic pairs, prep, train with parameter averaging,",
                "evaluate, and write an HTML report. A few minutes on 2 cores."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = {"--output", "-o"}, defaultValue = "trainyard-demo", description = "Working directory. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--rows", defaultValue = "8000", description = "Synthetic pairs to generate. Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(names = "--epochs", defaultValue = "8", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--workers", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int workers;

    @Mixin
    SeedOption seed;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        DemoConfig cfg = new DemoConfig(output, rows, epochs, workers, seed.value());
        return sparkOptions.run("trainyard demo", spark -> {
            DemoJob.run(spark, cfg);
        });
    }
}
