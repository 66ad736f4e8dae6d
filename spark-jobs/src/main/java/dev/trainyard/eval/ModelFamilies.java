package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.images.ImageSchema;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.train.ModelDir;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every model family Trainyard knows; evaluate and promote find a model folder's family here by
 * the name in its manifest, and refuse a folder of any other family or of a newer format.
 * Adding a family is one entry in {@link #ALL}.
 */
public final class ModelFamilies {
    public static final List<ModelFamily> ALL = List.of(
            new ModelFamily("siamese", PairSchema.DATASET_KIND, "/metrics/accuracy",
                    (spark, r) -> EvaluateJob.run(spark, new EvaluateConfig(r.model(), r.data(), r.output(), r.split(), r.referenceError(),
                            r.thresholdFrom()))),
            new ModelFamily("besnet", ClipSchema.DATASET_KIND, "/video_level/top1",
                    (spark, r) -> ClipEvaluateJob.run(spark, r.model(), r.data(), r.split(), r.referenceError(), r.output())),
            new ModelFamily("ensemble", ImageSchema.DATASET_KIND, "/datasets/0/accuracy/max", (spark, r) -> {
                List<String> datasets = new ArrayList<>(List.of(r.data()));
                datasets.addAll(r.adversarial());
                return EnsembleEvaluateJob.run(spark, r.model(), datasets, r.split(), r.sizes(), r.referenceError(), r.output());
            }));

    private ModelFamilies() {
    }

    public static ModelFamily named(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not a model family this Trainyard knows (known: " + names() + ")"));
    }

    /** The family of the model in {@code modelDir}, from its manifest; refuses unknown families and newer formats. */
    public static ModelFamily of(Storage storage, String modelDir) {
        JsonNode manifest = new ModelDir(storage, modelDir).readJson(ModelDir.MANIFEST);
        ModelDir.requireFormat(manifest, modelDir);
        String name = manifest.path("model").asText("");
        if (ALL.stream().noneMatch(f -> f.name().equals(name))) {
            throw new IllegalArgumentException("model folder " + modelDir + " holds a '" + name + "' model, which this Trainyard does not "
                    + "know (known: " + names() + ")");
        }
        return named(name);
    }

    private static String names() {
        return ALL.stream().map(ModelFamily::name).collect(Collectors.joining(", "));
    }
}
