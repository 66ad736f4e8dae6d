package dev.trainyard.cli;

import dev.trainyard.prep.text.SyntheticPairGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate SYNTHETIC data sets (clearly labelled as such).",
        subcommands = {GenerateCommand.Pairs.class})
public final class GenerateCommand extends GroupCommand {

    @Command(name = "pairs", mixinStandardHelpOptions = true,
            description = "Synthetic question pairs in Quora's TSV layout, with a FILE.provenance.json saying they are synthetic.")
    static final class Pairs implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "10000", description = "Pairs to write. Default: ${DEFAULT-VALUE}.")
        long rows;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "FILE", description = "TSV file to write.")
        Path output;

        @Option(names = "--duplicate-rate", defaultValue = "0.37", description = "Fraction of duplicates (Quora: 0.37). Default: ${DEFAULT-VALUE}.")
        double duplicateRate;

        @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
        long seed;

        @Override
        public Integer call() {
            long t0 = System.nanoTime();
            SyntheticPairGenerator.write(output, rows, duplicateRate, seed);
            System.out.printf("wrote %d SYNTHETIC pairs to %s in %.1f s%n", rows, output, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
