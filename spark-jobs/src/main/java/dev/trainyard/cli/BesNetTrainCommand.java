package dev.trainyard.cli;

import dev.trainyard.train.video.BesNetTrainConfig;
import dev.trainyard.train.video.BesNetTrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "besnet", mixinStandardHelpOptions = true,
        description = {"Train BesNet (ResNet inflated to video, random temporal dilation) on clips from 'trainyard prep video'.",
                "Classes, clip length and frame size come from the dataset. Writes MODEL_DIR/model.zip, manifest.json,",
                "metrics.json and per-epoch checkpoints. Clips are large: use a small --batch-size-per-worker (e.g. 4-16)."})
final class BesNetTrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "CLIPS", description = "Prepared clip dataset.")
    String data;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "MODEL_DIR", description = "Model directory.")
    String output;

    @Option(names = "--init", paramLabel = "inflated.zip", description = "Start from this BesNet (e.g. from 'trainyard inflate'); its architecture wins over the options below.")
    String init;

    @Option(names = "--dev-split", defaultValue = "val", description = "Split scored after every epoch (skipped when empty). Default: ${DEFAULT-VALUE}.")
    String devSplit;

    @Mixin
    TrainCommand.TrainingOptions training = new TrainCommand.TrainingOptions();

    @Mixin
    BesNetOptions net = new BesNetOptions();

    @Option(names = "--resume", description = "Continue from the last checkpoint in MODEL_DIR.")
    boolean resume;

    @picocli.CommandLine.Mixin
    OverwriteOption overwrite = new OverwriteOption();

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        BesNetTrainConfig cfg = new BesNetTrainConfig(data, output, net.spec(2, 8, 112, 112, training.seed.value()), init, devSplit,
                training.config(), resume, overwrite.value());
        return sparkOptions.run("trainyard train besnet", cfg, spark -> {
            BesNetTrainJob.Result r = BesNetTrainJob.run(spark, cfg);
            System.out.printf("model written to %s (%.2f clips/s)%n", output, r.clipsPerSecond());
        });
    }
}
