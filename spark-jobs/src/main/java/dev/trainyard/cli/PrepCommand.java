package dev.trainyard.cli;

import dev.trainyard.prep.text.PairFormat;
import dev.trainyard.prep.text.PairPrepConfig;
import dev.trainyard.prep.text.PairPrepJob;
import dev.trainyard.prep.text.SplitFractions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "prep", mixinStandardHelpOptions = true, description = "Turn raw data into versioned Parquet datasets.",
        subcommands = {PrepCommand.Pairs.class})
public final class PrepCommand extends GroupCommand {

    @Command(name = "pairs", mixinStandardHelpOptions = true,
            description = {"Question pairs (Quora TSV, Kaggle CSV, MRPC) -> Parquet with TF-IDF-weighted mean word vectors and token ids.",
                    "Writes OUTPUT/v1/{train,dev,test}/, OUTPUT/quarantine/, OUTPUT/artifacts/ and OUTPUT/prep-summary.json."})
    static final class Pairs implements Callable<Integer> {
        @Option(names = {"--input", "-i"}, required = true, paramLabel = "FILE", description = "Input file (repeatable; local or hdfs://).")
        List<String> inputs;

        @Option(names = "--format", required = true, paramLabel = "quora|kaggle|mrpc", description = "Input layout.")
        String format;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR", description = "Dataset directory to create.")
        String output;

        @Option(names = "--split", defaultValue = "0.8,0.1,0.1", paramLabel = "TRAIN,DEV,TEST|test",
                description = "Split fractions by a seeded hash of the pair id, or 'test' for data that is only scored. Default: ${DEFAULT-VALUE}.")
        String split;

        @Option(names = "--seed", defaultValue = "42", description = "Seed for the split hash and Word2Vec. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--min-chars", defaultValue = "10", description = "Quarantine pairs where either question is shorter. Default: ${DEFAULT-VALUE}.")
        int minChars;

        @Option(names = "--vectors", paramLabel = "FILE", description = "GloVe or word2vec text vectors (.txt or .gz). Default: train Word2Vec on the training split.")
        String vectors;

        @Option(names = "--vector-size", defaultValue = "100", description = "Word2Vec dimension when training vectors. Default: ${DEFAULT-VALUE}.")
        int vectorSize;

        @Option(names = "--min-doc-freq", defaultValue = "1", description = "Minimum training questions a word must appear in. Default: ${DEFAULT-VALUE}.")
        int minDocFreq;

        @Option(names = "--fit-from", paramLabel = "DIR", description = "Reuse the vocabulary, IDF and vectors of an earlier prep output (nothing is refitted).")
        String fitFrom;

        @Option(names = "--overwrite", description = "Replace OUTPUT if it exists.")
        boolean overwrite;

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            PairPrepConfig cfg = new PairPrepConfig(inputs, PairFormat.fromCli(format), output, SplitFractions.parse(split), seed,
                    minChars, vectors, vectorSize, minDocFreq, fitFrom, overwrite);
            return sparkOptions.run("trainyard prep pairs", spark -> {
                System.out.println(dev.trainyard.prep.common.Json.write(PairPrepJob.run(spark, cfg)));
            });
        }
    }
}
