package dev.trainyard.cli;

import dev.trainyard.prep.common.ParquetWriterKind;
import dev.trainyard.prep.images.ImagePrepConfig;
import dev.trainyard.prep.images.ImagePrepJob;
import dev.trainyard.prep.text.PairFormat;
import dev.trainyard.prep.text.PairPrepConfig;
import dev.trainyard.prep.text.PairPrepJob;
import dev.trainyard.prep.text.SplitFractions;
import dev.trainyard.prep.video.AnnotationFormat;
import dev.trainyard.prep.video.FrameGeometry;
import dev.trainyard.prep.video.FrameSampler;
import dev.trainyard.prep.video.VideoPrepConfig;
import dev.trainyard.prep.video.VideoPrepJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "prep", mixinStandardHelpOptions = true, description = "Turn raw data into versioned Parquet datasets.",
        subcommands = {PrepCommand.Pairs.class, PrepCommand.Video.class, PrepCommand.Images.class})
public final class PrepCommand extends GroupCommand {

    @Command(name = "pairs", mixinStandardHelpOptions = true,
            description = {"Question pairs (Quora TSV, Kaggle CSV, MRPC) -> Parquet with TF-IDF-weighted mean word vectors and token ids.",
                    "Writes OUTPUT/v1/{train,dev,test}/, OUTPUT/quarantine/, OUTPUT/artifacts/ and OUTPUT/prep-summary.json."})
    static final class Pairs implements Callable<Integer> {
        @Option(names = {"--input", "-i"}, required = true, paramLabel = "FILE", description = "Input file (repeatable; local, hdfs:// or s3a://).")
        List<String> inputs;

        @Option(names = "--format", required = true, paramLabel = "quora|kaggle|mrpc|tsv", description = "Input layout; tsv: id, question1, question2 without labels.")
        String format;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR", description = "Dataset directory to create.")
        String output;

        @Option(names = "--split", defaultValue = "0.8,0.1,0.1", paramLabel = "TRAIN,DEV,TEST|test",
                description = "Split fractions by a seeded hash of the pair id, or 'test' for data that is only scored. Default: ${DEFAULT-VALUE}.")
        String split;

        @Mixin
        SeedOption seed;

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

        @picocli.CommandLine.Mixin
        OverwriteOption overwrite = new OverwriteOption();

        @Option(names = "--parquet-writer", defaultValue = "columnar", paramLabel = "columnar|spark",
                description = "How the splits are written: columnar (vectors copied in bulk) or spark (Spark's DataFrame writer, a value "
                        + "at a time); the files read the same. Default: ${DEFAULT-VALUE}.")
        String parquetWriter;

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            PairPrepConfig cfg = new PairPrepConfig(inputs, PairFormat.fromCli(format), output, SplitFractions.parse(split), seed.value(),
                    minChars, vectors, vectorSize, minDocFreq, fitFrom, overwrite.value(), ParquetWriterKind.fromCli(parquetWriter));
            return sparkOptions.run("trainyard prep pairs", cfg, spark -> {
                System.out.println(dev.trainyard.prep.common.Json.write(PairPrepJob.run(spark, cfg)));
            });
        }
    }

    @Command(name = "video", mixinStandardHelpOptions = true,
            description = {"Action videos or frame folders listed in an annotation file -> Parquet clips, decoded with FFmpeg on the executors.",
                    "Writes OUTPUT/v1/<split>/, OUTPUT/quarantine/ and OUTPUT/prep-summary.json."})
    static final class Video implements Callable<Integer> {
        @Option(names = "--annotations", required = true, paramLabel = "FILE", description = "Kinetics CSV or mmaction list.")
        String annotations;

        @Option(names = "--format", defaultValue = "kinetics-csv", paramLabel = "kinetics-csv|mmaction-videos|mmaction-rawframes",
                description = "Annotation layout. Default: ${DEFAULT-VALUE}.")
        String format;

        @Option(names = "--root", required = true, paramLabel = "DIR", description = "Where the videos (flat or in class folders) or frame folders are.")
        String root;

        @Option(names = "--classes", required = true, paramLabel = "FILE", description = "Class list, one per line; line n (from 0) = label index n.")
        String classes;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR")
        String output;

        @Option(names = "--frames", defaultValue = "16", description = "K, frames per clip. Default: ${DEFAULT-VALUE}.")
        int frames;

        @Option(names = "--stride", defaultValue = "2", description = "Frame interval within a strided clip. Default: ${DEFAULT-VALUE}.")
        int stride;

        @Option(names = "--sampling", defaultValue = "strided", paramLabel = "strided|uniform",
                description = "strided: K frames at --stride; uniform: K frames over the whole video. Default: ${DEFAULT-VALUE}.")
        FrameSampler.Mode sampling;

        @Option(names = "--start", defaultValue = "random", paramLabel = "random|centre",
                description = "Start of a strided clip (seeded per video). Default: ${DEFAULT-VALUE}.")
        FrameSampler.Start start;

        @Option(names = "--clips-per-video", defaultValue = "1", description = "N clips spread over each video (test-time averaging). Default: ${DEFAULT-VALUE}.")
        int clipsPerVideo;

        @Option(names = "--target-fps", defaultValue = "0", description = "Resample to this frame rate first; 0 keeps the source rate. Default: ${DEFAULT-VALUE}.")
        double targetFps;

        @Option(names = "--short-side", defaultValue = "128", description = "Resize so the shorter side is this. Default: ${DEFAULT-VALUE}.")
        int shortSide;

        @Option(names = "--size", defaultValue = "112", paramLabel = "H[xW]", description = "Centre crop. Default: ${DEFAULT-VALUE}.")
        String size;

        @Option(names = "--encoding", defaultValue = "jpeg", paramLabel = "jpeg|raw-rgb24",
                description = "Frame storage: JPEG is 8x smaller for 10%% more prep time (docs/benchmarks.md). Default: ${DEFAULT-VALUE}.")
        String encoding;

        @Option(names = "--jpeg-quality", defaultValue = "90", description = "Default: ${DEFAULT-VALUE}.")
        int jpegQuality;

        @Option(names = "--split", paramLabel = "NAME", description = "Put every video in this split (default: the CSV's split column; 'unsplit' for mmaction lists).")
        String split;

        @Option(names = "--folder-fps", defaultValue = "30", description = "Frame rate assumed for frame folders. Default: ${DEFAULT-VALUE}.")
        double folderFps;

        @Mixin
        SeedOption seed;

        @Option(names = "--allow-outside-root", description = {"Read files the annotation file lists outside --root (absolute paths,",
                "'..', links). Default: such rows are quarantined outside_root."})
        boolean allowOutsideRoot;

        @picocli.CommandLine.Mixin
        OverwriteOption overwrite = new OverwriteOption();

        @Mixin
        SparkOptions sparkOptions;

        VideoPrepConfig config() {
            FrameSize hw = FrameSize.parse(size);
            FrameSampler sampler = new FrameSampler(frames, stride, sampling,
                    start, clipsPerVideo, targetFps);
            return new VideoPrepConfig(annotations, AnnotationFormat.fromCli(format), root, classes, output, sampler,
                    new FrameGeometry(shortSide, hw.first(), hw.second()), encoding, jpegQuality, split, folderFps, seed.value(), overwrite.value(),
                    allowOutsideRoot);
        }

        @Override
        public Integer call() {
            VideoPrepConfig cfg = config();
            return sparkOptions.run("trainyard prep video", cfg, spark -> {
                var summary = VideoPrepJob.run(spark, cfg);
                System.out.println(dev.trainyard.prep.common.Json.write(summary));
                requireWritten(summary.path("clips_written").asLong(), summary.path("videos_listed").asLong(), "videos", output);
            });
        }
    }

    @Command(name = "images", mixinStandardHelpOptions = true,
            description = {"IDX image + label files (MNIST format, gzipped or not) -> Parquet; one Spark task per pair of files.",
                    "Writes OUTPUT/v1/<split>/, OUTPUT/quarantine/ and OUTPUT/prep-summary.json."})
    static final class Images implements Callable<Integer> {
        @Option(names = "--images", required = true, paramLabel = "FILE", description = "IDX image file (repeatable).")
        List<String> images;

        @Option(names = "--labels", required = true, paramLabel = "FILE", description = "IDX label file for the --images at the same position (repeatable).")
        List<String> labels;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR")
        String output;

        @Option(names = "--split", defaultValue = "train", description = "Split for every image. Default: ${DEFAULT-VALUE}.")
        String split;

        @Option(names = "--dev-fraction", defaultValue = "0", description = "With --split train: this share goes to dev (seeded hash). Default: ${DEFAULT-VALUE}.")
        double devFraction;

        @Option(names = "--num-classes", defaultValue = "10", description = "Labels must be below this. Default: ${DEFAULT-VALUE}.")
        int numClasses;

        @Mixin
        SeedOption seed;

        @picocli.CommandLine.Mixin
        OverwriteOption overwrite = new OverwriteOption();

        @Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() {
            ImagePrepConfig cfg = new ImagePrepConfig(images, labels, output, split, devFraction, numClasses, seed.value(), overwrite.value());
            return sparkOptions.run("trainyard prep images", cfg, spark -> {
                var summary = ImagePrepJob.run(spark, cfg);
                System.out.println(dev.trainyard.prep.common.Json.write(summary));
                requireWritten(summary.path("records_written").asLong(), summary.path("records_read").asLong(), "records", output);
            });
        }
    }

    /** A prep that wrote nothing fails (exit 2) after writing its summary and quarantine, which say why. */
    static void requireWritten(long written, long read, String what, String output) {
        if (written == 0) {
            throw new IllegalArgumentException("nothing was written: all " + read + " " + what + " were quarantined; see "
                    + output + "/quarantine and " + output + "/prep-summary.json for the reasons");
        }
    }
}
