package dev.trainyard.cli;

import dev.trainyard.prep.text.SyntheticPairGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate SYNTHETIC data sets (clearly labelled as such).",
        subcommands = {GenerateCommand.Pairs.class, GenerateCommand.Video.class})
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

        @picocli.CommandLine.Mixin
        SeedOption seed;

        @Override
        public Integer call() {
            long t0 = System.nanoTime();
            SyntheticPairGenerator.write(output, rows, duplicateRate, seed.value());
            System.out.printf("wrote %d SYNTHETIC pairs to %s in %.1f s%n", rows, output, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    @Command(name = "video", mixinStandardHelpOptions = true,
            description = {"SYNTHETIC action videos whose classes differ only by motion over time (direction, speed, rotation sense,",
                    "swinging, order of a colour change), encoded with FFmpeg in the Kinetics layout; optionally frame folders too."})
    static final class Video implements Callable<Integer> {
        @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR")
        Path output;

        @Option(names = "--per-class", defaultValue = "20", description = "Videos per class (10 classes). Default: ${DEFAULT-VALUE}.")
        int perClass;

        @Option(names = "--frames", defaultValue = "48", description = "Frames per video. Default: ${DEFAULT-VALUE}.")
        int frames;

        @Option(names = "--fps", defaultValue = "25", description = "Default: ${DEFAULT-VALUE}.")
        double fps;

        @Option(names = "--size", defaultValue = "128", paramLabel = "W[xH]", description = "Even numbers. Default: ${DEFAULT-VALUE}.")
        String size;

        @Option(names = "--frame-folders", description = "Also write mmaction rawframes folders and rawframes_list.txt.")
        boolean frameFolders;

        @Option(names = "--train-fraction", defaultValue = "0.8", description = "Share of videos in the train split (rest: val). Default: ${DEFAULT-VALUE}.")
        double trainFraction;

        @picocli.CommandLine.Mixin
        SeedOption seed;

        @Override
        public Integer call() {
            FrameSize wh = FrameSize.parse(size);
            long t0 = System.nanoTime();
            int n = dev.trainyard.prep.video.SyntheticVideoGenerator.write(new dev.trainyard.prep.video.SyntheticVideoGenerator.Config(
                    output, perClass, frames, fps, wh.first(), wh.second(), frameFolders, trainFraction, seed.value()));
            System.out.printf("wrote %d SYNTHETIC videos (%d classes) to %s in %.1f s; prep them with:%n"
                            + "  trainyard prep video --annotations %s --root %s --classes %s --output DIR%n",
                    n, dev.trainyard.prep.video.SyntheticVideoGenerator.CLASSES.size(), output, (System.nanoTime() - t0) / 1e9,
                    output.resolve("annotations.csv"), output.resolve("videos"), output.resolve("classes.txt"));
            return 0;
        }
    }
}
