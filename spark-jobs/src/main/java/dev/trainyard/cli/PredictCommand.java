package dev.trainyard.cli;

import dev.trainyard.ml.ModelSource;
import dev.trainyard.predict.PredictConfig;
import dev.trainyard.predict.PredictJob;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.text.PairFormat;
import dev.trainyard.prep.video.AnnotationFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Apply a trained or promoted model to new data on the executors. Writes DIR/predictions (Parquet: the model's",
                "name, version and family on every row), DIR/quarantine (rejected inputs with reasons) and DIR/predict-summary.json",
                "(rows read = predicted + quarantined). Siamese: question-pair files (any prep pairs format, or tsv: id, question1,",
                "question2) or a prep pairs output. Ensembles: IDX image files or a prep images output. BesNet: a folder of",
                "videos, an annotation list (--root) or a prep video output, sampled as the model's training clips were."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR|REGISTRY/NAME[@VERSION]",
            description = "A model folder, or a registry entry (its CURRENT version unless @VERSION is given).")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "What to score; repeatable for files.")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR")
    String output;

    @Option(names = "--format", defaultValue = "tsv", paramLabel = "tsv|quora|kaggle|mrpc",
            description = "Siamese, raw files: their layout. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--fit-from", paramLabel = "PREP_DIR",
            description = "Siamese, raw files: the prep output whose text fit turns text into features (default: the model's own).")
    String fitFrom;

    @Option(names = "--labels", paramLabel = "FILE", description = "Ensembles, IDX input: the matching label files, one per --input.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--combiner", paramLabel = "mean|max|vote", description = "Ensembles: how members combine (default: the ensemble's own).")
    String combiner;

    @Option(names = "--root", paramLabel = "DIR", description = "BesNet, annotation list: where its videos are.")
    String root;

    @Option(names = "--video-format", defaultValue = "kinetics-csv", paramLabel = "kinetics-csv|mmaction-videos|mmaction-rawframes",
            description = "BesNet, annotation list: its layout. Default: ${DEFAULT-VALUE}.")
    String videoFormat;

    @Option(names = "--top-k", defaultValue = "5", description = "BesNet: classes reported per video. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Mixin
    OverwriteOption overwrite;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        PredictConfig cfg = new PredictConfig(model, inputs, PairFormat.fromCli(format), labels, root, AnnotationFormat.fromCli(videoFormat),
                output, fitFrom, combiner, topK, overwrite.value());
        if (sparkOptions.dryRun && !model.contains("://")) {
            // a local model folder or registry entry is checked too; one an earlier task has not written yet is only reported
            String path = model.contains("@") && model.lastIndexOf('@') > model.lastIndexOf('/') ? model.substring(0, model.lastIndexOf('@'))
                    : model;
            if (Storage.local().exists(path)) {
                ModelSource.resolve(Storage.local(), model);
            } else {
                System.err.println("trainyard: dry run: --model " + model + " does not exist (yet)");
            }
        }
        return sparkOptions.run("trainyard predict", cfg, spark -> System.out.println(Json.write(PredictJob.run(spark, cfg))));
    }
}
