package dev.trainyard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.cli.CommandExtension;
import dev.trainyard.cli.GroupCommand;
import dev.trainyard.cli.SeedOption;
import dev.trainyard.cli.SparkOptions;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.ParquetWriterKind;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairFormat;
import dev.trainyard.prep.text.PairPrepConfig;
import dev.trainyard.prep.text.PairPrepJob;
import dev.trainyard.prep.text.SyntheticPairGenerator;
import dev.trainyard.prep.video.FrameGeometry;
import dev.trainyard.prep.video.FrameSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that write JSON results (never timed assertions).",
        subcommands = {BenchCommand.Training.class, BenchCommand.Averaging.class, BenchCommand.PrepPairs.class, BenchCommand.PrepVideo.class, BenchCommand.BesNetCmd.class,
                BenchCommand.Headline.class, PredictBenchCommand.class})
public final class BenchCommand extends GroupCommand implements CommandExtension {

    /** Writes the results file (any Hadoop file system) and prints it. */
    static void write(Path out, ObjectNode result) {
        new Storage(new org.apache.hadoop.conf.Configuration()).writeText(out.toString(), Json.write(result));
        System.out.println(Json.write(result));
    }

    @Command(name = "training", mixinStandardHelpOptions = true,
            description = "Siamese training pairs/s: single-JVM fit (baseline) vs Spark parameter averaging with each worker count.")
    static final class Training implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Prepared pair dataset.")
        String data;

        @Option(names = "--workers", defaultValue = "1,2", split = ",", description = "Worker counts to measure. Default: ${DEFAULT-VALUE}.")
        List<Integer> workers;

        @Option(names = "--batch-size-per-worker", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(names = "--averaging-frequency", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
        int averagingFrequency;

        @Option(names = "--epochs", defaultValue = "2", description = "Timed epochs per run. Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--warmup-epochs", defaultValue = "1", description = "Untimed epochs first. Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Mixin
        SeedOption seed;

        @Option(names = {"--output", "-o"}, defaultValue = "bench-results/training.json", description = "Default: ${DEFAULT-VALUE}.")
        Path output;

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            return sparkOptions.run("trainyard bench training", spark -> {
                write(output, TrainingBench.run(spark, new TrainingBench.Config(data, workers, batchSize, averagingFrequency,
                        epochs, warmup, seed.value())));
            });
        }
    }

    @Command(name = "averaging", mixinStandardHelpOptions = true,
            description = {"The parameter-averaging cost model's measured parts (compute per minibatch, Spark job and task cost,",
                    "broadcast and tree-aggregation cost per float averaged) and its check: real Siamese rounds at each",
                    "averaging frequency against the prediction and single-JVM training with the same threads. See docs/scaling.md."})
    static final class Averaging implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Prepared pair dataset.")
        String data;

        @Option(names = "--workers", defaultValue = "2", description = "Workers (one ND4J thread each). Default: ${DEFAULT-VALUE}.")
        int workers;

        @Option(names = "--frequencies", defaultValue = "1,5,20", split = ",", description = "Averaging frequencies to run. Default: ${DEFAULT-VALUE}.")
        List<Integer> frequencies;

        @Option(names = "--batch-size-per-worker", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(names = "--epochs", defaultValue = "1", description = "Timed epochs per run (after one untimed). Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--repeats", defaultValue = "7", description = "Repeats per micro-measurement (median). Default: ${DEFAULT-VALUE}.")
        int repeats;

        @Mixin
        SeedOption seed;

        @Option(names = {"--output", "-o"}, defaultValue = "bench-results/averaging.json", description = "Default: ${DEFAULT-VALUE}.")
        Path output;

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            AveragingBench.Config cfg = new AveragingBench.Config(data, workers, frequencies, batchSize, epochs, repeats, seed.value());
            return sparkOptions.run("trainyard bench averaging", spark -> write(output, AveragingBench.run(spark, cfg)));
        }
    }

    @Command(name = "prep-pairs", mixinStandardHelpOptions = true,
            description = "Prep throughput: generate N synthetic pairs, run 'prep pairs' on them, report pairs/s and the stage split.")
    static final class PrepPairs implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "400000", description = "Default: ${DEFAULT-VALUE}.")
        long rows;

        @Option(names = "--vectors", paramLabel = "FILE", description = "GloVe/word2vec file; default: train Word2Vec (100 dims).")
        String vectors;

        @Option(names = "--work-dir", defaultValue = "bench-results/prep-pairs", description = "Default: ${DEFAULT-VALUE}.")
        Path workDir;

        @Option(names = {"--output", "-o"}, defaultValue = "bench-results/prep-pairs.json", description = "Default: ${DEFAULT-VALUE}.")
        Path output;

        @Option(names = "--runs", defaultValue = "1",
                description = "Runs in the same JVM. The first (cold: class loading, JIT compilation) is the reported number, "
                        + "as a user running the command once gets; later runs show the warm cost. Default: ${DEFAULT-VALUE}.")
        int runs;

        @Option(names = "--parquet-writer", defaultValue = "columnar", paramLabel = "columnar|spark",
                description = "As for 'prep pairs'. Default: ${DEFAULT-VALUE}.")
        String parquetWriter;

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            ParquetWriterKind writer = ParquetWriterKind.fromCli(parquetWriter);
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
            }
            Path raw = workDir.resolve("synthetic-pairs.tsv");
            SyntheticPairGenerator.write(raw, rows, 0.37, 42);
            return sparkOptions.run("trainyard bench prep-pairs", spark -> {
                PairPrepConfig cfg = PairPrepConfig.defaults(List.of(raw.toString()), PairFormat.QUORA,
                        workDir.resolve("dataset").toString()).withVectors(vectors).withOverwrite(true).withWriter(writer);
                List<ObjectNode> summaries = new java.util.ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    summaries.add(PairPrepJob.run(spark, cfg));
                }
                ObjectNode summary = summaries.get(0);
                ObjectNode out = Json.object();
                out.put("bench", "prep pairs throughput");
                out.put("rows", rows);
                out.put("parquet_writer", writer.cliName());
                out.put("spark_master", spark.sparkContext().master());
                out.put("cores", Runtime.getRuntime().availableProcessors());
                out.put("jvm_options", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                        .stream().filter(a -> a.startsWith("-XX") || a.startsWith("-Xm")).toList()));
                out.put("pairs_per_second", summary.path("rows_per_second").asDouble());
                out.set("seconds", summary.path("seconds"));
                var warm = out.putArray("later_runs");
                summaries.stream().skip(1).forEach(s -> warm.addObject()
                        .put("pairs_per_second", s.path("rows_per_second").asDouble()).set("seconds", s.path("seconds")));
                out.set("fit", summary.path("fit"));
                write(output, out);
            });
        }
    }

    @Command(name = "prep-video", mixinStandardHelpOptions = true,
            description = "Video prep frames/s (decode + resize + write, raw and JPEG) against the ffmpeg CLI's decode-only rate on the same videos.")
    static final class PrepVideo implements Callable<Integer> {
        @Option(names = "--videos", required = true, paramLabel = "DIR", description = "Folder of videos (e.g. ../shared/data/video/clips/mmaction2).")
        Path videos;

        @Option(names = "--classes", required = true, paramLabel = "FILE", description = "Any class list (the bench labels every video 0).")
        String classes;

        @Option(names = "--copies", defaultValue = "10", description = "Copies of each video to process. Default: ${DEFAULT-VALUE}.")
        int copies;

        @Option(names = "--frames", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
        int frames;

        @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "ffmpeg binary for the baseline. Default: ${DEFAULT-VALUE}.")
        String ffmpeg;

        @Option(names = "--work-dir", defaultValue = "bench-results/prep-video", description = "Default: ${DEFAULT-VALUE}.")
        Path workDir;

        @Option(names = {"--output", "-o"}, defaultValue = "bench-results/prep-video.json", description = "Default: ${DEFAULT-VALUE}.")
        Path output;

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            // uniform sampling reaches the end of each video, so both sides decode (nearly) every frame
            VideoPrepBench.Config cfg = new VideoPrepBench.Config(VideoPrepBench.listVideos(videos), copies,
                    new FrameSampler(frames, 1, FrameSampler.Mode.UNIFORM, FrameSampler.Start.CENTRE, 1, 0),
                    new FrameGeometry(128, 112, 112), workDir, ffmpeg, classes);
            return sparkOptions.run("trainyard bench prep-video", spark -> {
                try {
                    write(output, VideoPrepBench.run(spark, cfg));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Command(name = "besnet", mixinStandardHelpOptions = true,
            description = {"BesNet speed against the matrix-product GFLOP/s measured in the same run: 1x3x3 and 3x1x1 layers",
                    "(ours and DL4J's stock Convolution3D) and a full training step. No Spark."})
    static final class BesNetCmd implements Callable<Integer> {
        @Option(names = "--depth", defaultValue = "50", description = "Default: ${DEFAULT-VALUE}.")
        int depth;

        @Option(names = "--width-multiplier", defaultValue = "1.0", description = "Default: ${DEFAULT-VALUE}.")
        double widthMultiplier;

        @Option(names = "--batch", defaultValue = "2", description = "Clips per training step. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--frames", defaultValue = "8", description = "Default: ${DEFAULT-VALUE}.")
        int frames;

        @Option(names = "--size", defaultValue = "112", description = "Default: ${DEFAULT-VALUE}.")
        int size;

        @Option(names = "--steps", defaultValue = "3", description = "Timed training steps. Default: ${DEFAULT-VALUE}.")
        int steps;

        @Option(names = "--warmup-steps", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Option(names = "--layer-channels", defaultValue = "64", description = "Channels of the single-layer timings (batch 4, 8 frames). Default: ${DEFAULT-VALUE}.")
        int layerChannels;

        @Option(names = "--layer-size", defaultValue = "28", description = "Frame size of the single-layer timings. Default: ${DEFAULT-VALUE}.")
        int layerSize;

        @Option(names = "--baseline-property", paramLabel = "KEY=VALUE",
                description = {"Also time the step of a second BesNet built with this system property (e.g. trainyard.native-frame-ops=none),",
                        "the two stepping in turn in this process (--warmup-steps each, then --steps pairs); reports the per-pair ratios."})
        String baselineProperty;

        @Option(names = {"--output", "-o"}, defaultValue = "bench-results/besnet.json", description = "Default: ${DEFAULT-VALUE}.")
        Path output;

        @Override
        public Integer call() {
            var baseline = baselineProperty == null ? null : dev.trainyard.bench.AlternatingSteps.PropertySetting.parse(baselineProperty);
            write(output, dev.trainyard.bench.BesNetBench.run(new dev.trainyard.bench.BesNetBench.Config(depth, widthMultiplier,
                    batch, frames, size, steps, warmup, layerChannels, layerSize, baseline)));
            return 0;
        }
    }

    @Command(name = "headline", mixinStandardHelpOptions = true,
            description = {"The README's headline numbers, each with its baseline in the same run: question prep vs pandas +",
                    "scikit-learn, Spark parameter averaging vs single-JVM training, BesNet-50's step vs the matrix-product peak.",
                    "Writes --output and rewrites the table in --readme from it."})
    static final class Headline implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "400000", description = "Pairs for the prep figure. Default: ${DEFAULT-VALUE}.")
        long rows;

        @Option(names = "--training-pairs", defaultValue = "20000", description = "Pairs for the training figure. Default: ${DEFAULT-VALUE}.")
        long trainingPairs;

        @Option(names = "--vectors", paramLabel = "FILE", description = "Word vectors for prep (GloVe text); default: random vectors for the generated words.")
        String vectors;

        @Option(names = "--python", defaultValue = "python3", description = "Python 3 with pandas and scikit-learn, for the prep baseline. Default: ${DEFAULT-VALUE}.")
        String python;

        @Option(names = "--no-besnet", description = "Skip the BesNet-50 figure (a few minutes on 2 cores).")
        boolean noBesnet;

        @Option(names = "--work-dir", defaultValue = "bench-results/headline", description = "Default: ${DEFAULT-VALUE}.")
        Path workDir;

        @Option(names = {"--output", "-o"}, defaultValue = "docs/headline.json", description = "Default: ${DEFAULT-VALUE}.")
        Path output;

        @Option(names = "--readme", defaultValue = "README.md", description = "README whose headline table is rewritten. Default: ${DEFAULT-VALUE}.")
        Path readme;

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            var cfg = new dev.trainyard.bench.HeadlineBench.Config(workDir, rows, vectors, python, trainingPairs, !noBesnet);
            return sparkOptions.run("trainyard bench headline", spark -> {
                try {
                    ObjectNode result = dev.trainyard.bench.HeadlineBench.run(spark, cfg);
                    write(output, result);
                    if (Files.exists(readme)) {
                        String text = Files.readString(readme);
                        Files.writeString(readme, dev.trainyard.bench.HeadlineBench.withTable(text, dev.trainyard.bench.HeadlineBench.table(result)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
