package dev.trainyard.cli;

import dev.trainyard.train.SiameseTrainConfig;
import dev.trainyard.train.SiameseTrainJob;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.train.ensemble.EnsembleTrainConfig;
import dev.trainyard.train.ensemble.EnsembleTrainJob;
import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.ConvNetSpec;
import dev.trainyard.zoo.ensemble.MemberSampling;
import dev.trainyard.zoo.siamese.SequenceEncoder;
import dev.trainyard.zoo.siamese.SiameseSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model on Spark.",
        subcommands = {TrainCommand.Siamese.class, TrainCommand.EnsembleCmd.class, BesNetTrainCommand.class})
public final class TrainCommand extends GroupCommand {

    /** Options of how to train, shared by every model's train command. */
    static final class TrainingOptions {
        @Option(names = "--engine", defaultValue = "spark", paramLabel = "spark|local",
                description = "spark: DL4J parameter averaging across Spark tasks; local: single-JVM fit on the driver. Default: ${DEFAULT-VALUE}.")
        TrainingConfig.Engine engine;

        @Option(names = "--workers", defaultValue = "2", description = "Parallel workers per averaging round. Default: ${DEFAULT-VALUE}.")
        int workers;

        @Option(names = "--batch-size-per-worker", defaultValue = "64", description = "Minibatch size of each worker. Default: ${DEFAULT-VALUE}.")
        int batchSizePerWorker;

        @Option(names = "--averaging-frequency", defaultValue = "5", description = "Minibatches per worker between parameter averagings. Default: ${DEFAULT-VALUE}.")
        int averagingFrequency;

        @Option(names = "--aggregation-depth", defaultValue = "2", description = "treeAggregate depth for summing parameters. Default: ${DEFAULT-VALUE}.")
        int aggregationDepth;

        @Option(names = "--epochs", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Mixin
        SeedOption seed;

        @Option(names = "--threads-per-worker", defaultValue = "0",
                description = "ND4J/BLAS threads per worker in local mode; 0 = the cores shared among the workers. Default: ${DEFAULT-VALUE}.")
        int threadsPerWorker;

        @Option(names = "--rdd-training-approach", defaultValue = "direct", paramLabel = "direct|export",
                description = {"How DL4J hands minibatches to workers: direct (in the RDD) or export (written as files under",
                        "--export-dir and streamed back; needs a file system every executor reads, e.g. HDFS). Default: ${DEFAULT-VALUE}."})
        TrainingConfig.Approach approach;

        @Option(names = "--export-dir", paramLabel = "DIR", description = "With export: where minibatch files go (hdfs://...). Default: DL4J's, under hadoop.tmp.dir.")
        String exportDir;

        TrainingConfig config() {
            return new TrainingConfig(engine, workers, batchSizePerWorker,
                    averagingFrequency, aggregationDepth, epochs, seed.value(), threadsPerWorker,
                    approach, exportDir);
        }
    }

    @Command(name = "siamese", mixinStandardHelpOptions = true,
            description = {"Train the Siamese duplicate-question network on a dataset from 'trainyard prep pairs'.",
                    "Writes MODEL_DIR/model.zip, manifest.json, metrics.json and per-epoch checkpoints."})
    static final class Siamese implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Prepared pair dataset.")
        String data;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "MODEL_DIR", description = "Model directory.")
        String output;

        @Mixin
        TrainingOptions training = new TrainingOptions();

        @Option(names = "--hidden", defaultValue = "128,128,128", split = ",", description = "Tower layer widths. Default: ${DEFAULT-VALUE}.")
        List<Integer> hidden;

        @Option(names = "--norm", defaultValue = "before-relu", paramLabel = "before-relu|after-relu|none|selu",
                description = {"Batch normalisation placement, or selu: a self-normalising tower (SELU, LeCun-normal weights,",
                        "alpha dropout, no batch norm; use with --no-residual). Default: ${DEFAULT-VALUE}."})
        SiameseSpec.Norm norm;

        @Option(names = "--no-residual", description = "Drop the residual connections.")
        boolean noResidual;

        @Option(names = "--concat", description = "Concatenate every tower layer's output (the notes' 'layer concat').")
        boolean concat;

        @Option(names = "--head", defaultValue = "distance", paramLabel = "distance|fc",
                description = "distance: Euclidean distance + contrastive loss; fc: classifier on pair features. Default: ${DEFAULT-VALUE}.")
        SiameseSpec.Head head;

        @Option(names = "--fc-size", defaultValue = "64", description = "Hidden width of the fc head. Default: ${DEFAULT-VALUE}.")
        int fcSize;

        @Option(names = "--dropout", defaultValue = "0", description = "Drop probability after each tower layer. Default: ${DEFAULT-VALUE}.")
        double dropout;

        @Option(names = "--margin", defaultValue = "1.0", description = "Contrastive margin. Default: ${DEFAULT-VALUE}.")
        double margin;

        @Option(names = "--updater", defaultValue = "adam", paramLabel = "adam|sgd", description = "Default: ${DEFAULT-VALUE}.")
        SiameseSpec.Updater updater;

        @Option(names = "--learning-rate", defaultValue = "0.001", description = "Default: ${DEFAULT-VALUE}.")
        double learningRate;

        @Option(names = "--l2", defaultValue = "0", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.")
        double l2;

        @Option(names = "--encoder", defaultValue = "mean-vector", paramLabel = "mean-vector|sequence",
                description = {"mean-vector: each question is the prep's TF-IDF-weighted mean word vector (dense tower);",
                        "sequence: its token ids through a word-vector embedding, a bidirectional LSTM and a 1D convolution,",
                        "each max-pooled over the tokens, concatenated, then the dense tower. Default: ${DEFAULT-VALUE}."})
        String encoder;

        @Option(names = "--embedding", defaultValue = "frozen", paramLabel = "frozen|trainable",
                description = "Sequence encoder: keep the prep's word vectors fixed or train them. Default: ${DEFAULT-VALUE}.")
        String embedding;

        @Option(names = "--max-tokens", defaultValue = "40", description = "Sequence encoder: tokens read per question. Default: ${DEFAULT-VALUE}.")
        int maxTokens;

        @Option(names = "--rnn-units", defaultValue = "64",
                description = "Sequence encoder: LSTM units per direction (0 = no recurrent branch). Default: ${DEFAULT-VALUE}.")
        int rnnUnits;

        @Option(names = "--conv-filters", defaultValue = "64",
                description = "Sequence encoder: 1D convolution filters (0 = no convolution branch). Default: ${DEFAULT-VALUE}.")
        int convFilters;

        @Option(names = "--conv-kernel", defaultValue = "3", description = "Sequence encoder: convolution width in tokens. Default: ${DEFAULT-VALUE}.")
        int convKernel;

        @Option(names = "--resume", description = "Continue from the last checkpoint in MODEL_DIR.")
        boolean resume;

        @picocli.CommandLine.Mixin
        OverwriteOption overwrite = new OverwriteOption();

        @Mixin
        SparkOptions sparkOptions;

        SiameseSpec spec() {
            // inputDim 1 and a 2-id vocabulary are placeholders: the job sizes both from the dataset
            SequenceEncoder seq = switch (encoder.toLowerCase(java.util.Locale.ROOT)) {
                case "mean-vector" -> null;
                case "sequence" -> new SequenceEncoder(2, switch (embedding.toLowerCase(java.util.Locale.ROOT)) {
                    case "frozen" -> false;
                    case "trainable" -> true;
                    default -> throw new IllegalArgumentException("--embedding must be frozen or trainable, got '" + embedding + "'");
                }, maxTokens, rnnUnits, convFilters, convKernel);
                default -> throw new IllegalArgumentException("--encoder must be mean-vector or sequence, got '" + encoder + "'");
            };
            return new SiameseSpec(1, hidden, norm, !noResidual, concat,
                    head, fcSize, dropout, margin,
                    updater, learningRate, l2, training.seed.value(), seq);
        }

        @Override
        public Integer call() {
            SiameseTrainConfig cfg = new SiameseTrainConfig(data, output, spec(), training.config(), resume, overwrite.value());
            return sparkOptions.run("trainyard train siamese", cfg, spark -> {
                SiameseTrainJob.Result r = SiameseTrainJob.run(spark, cfg);
                // the decision rule travels with the model, for data that has no dev split to choose one on
                var rule = dev.trainyard.eval.DecisionRule.record(spark, new dev.trainyard.prep.common.Storage(
                        spark.sparkContext().hadoopConfiguration()), r.modelDir(), cfg.data());
                System.out.printf("model written to %s (%.0f pairs/s; threshold %.4f chosen on the %s split, accuracy %.4f there)%n",
                        r.modelDir(), r.examplesPerSecond(), rule.threshold(), rule.chosenOn(), rule.accuracy());
            });
        }
    }

    @Command(name = "ensemble", mixinStandardHelpOptions = true,
            description = {"Train N ConvNets in parallel on Spark, one member per task, on a dataset from 'trainyard prep images'.",
                    "Writes MODEL_DIR/ensemble.zip (members + combiner) and manifest.json (seeds, samples)."})
    static final class EnsembleCmd implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "DIR")
        String data;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "MODEL_DIR")
        String output;

        @Option(names = "--members", defaultValue = "5", description = "N; member m is seeded --seed + m. Default: ${DEFAULT-VALUE}.")
        int members;

        @Option(names = "--sampling", defaultValue = "bootstrap", paramLabel = "uniform|bootstrap", description = "Default: ${DEFAULT-VALUE}.")
        MemberSampling sampling;

        @Option(names = "--sample-fraction", defaultValue = "1.0", description = "With bootstrap: share of the training set each member draws. Default: ${DEFAULT-VALUE}.")
        double sampleFraction;

        @Option(names = "--combiner", defaultValue = "max", paramLabel = "mean|max|vote", description = "Default stored with the ensemble. Default: ${DEFAULT-VALUE}.")
        Combiner combiner;

        @Option(names = "--epochs", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--batch-size", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(names = "--filters", defaultValue = "32,64", split = ",", description = "3x3 convolution filters. Default: ${DEFAULT-VALUE}.")
        List<Integer> filters;

        @Option(names = "--dense", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
        int dense;

        @Option(names = "--selu", description = "Self-normalising members: SELU, LeCun-normal weights, alpha dropout (research notes).")
        boolean selu;

        @Mixin
        SeedOption seed;

        @Option(names = "--adversarial-training", defaultValue = "0", paramLabel = "EPSILON",
                description = "Fit every minibatch together with its FGSM examples at this epsilon, made on the fly against the member; 0 = off. Default: ${DEFAULT-VALUE}.")
        double adversarialEpsilon;

        @Option(names = "--member-workers", defaultValue = "0",
                description = "0: members train in parallel, one task each; W: members train one after another, each by parameter averaging over W workers (large data). Default: ${DEFAULT-VALUE}.")
        int memberWorkers;

        @Option(names = "--member-averaging-frequency", defaultValue = "5", description = "With --member-workers: minibatches between averagings. Default: ${DEFAULT-VALUE}.")
        int memberAveragingFrequency;

        @picocli.CommandLine.Mixin
        OverwriteOption overwrite = new OverwriteOption();

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            EnsembleTrainConfig cfg = new EnsembleTrainConfig(data, output, members, sampling,
                    sampleFraction, ConvNetSpec.mnist(seed.value()).withSize(filters, dense).withSelu(selu), combiner,
                    epochs, batchSize, seed.value(), adversarialEpsilon, memberWorkers, memberAveragingFrequency, overwrite.value());
            return sparkOptions.run("trainyard train ensemble", cfg, spark -> EnsembleTrainJob.run(spark, cfg));
        }
    }
}
