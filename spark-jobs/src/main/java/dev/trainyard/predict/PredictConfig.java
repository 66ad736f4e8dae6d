package dev.trainyard.predict;

import dev.trainyard.prep.text.PairFormat;
import dev.trainyard.prep.video.AnnotationFormat;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * {@code trainyard predict}: apply a trained model to new data.
 *
 * @param model     a model folder, or {@code REGISTRY/NAME[@VERSION]} (CURRENT without a version)
 * @param inputs    Siamese: question-pair files in {@code format}, or one {@code prep pairs} output; ensemble: IDX image
 *                  files, or one {@code prep images} output; BesNet: one folder of video files, an annotation list
 *                  (with {@code root}), or one {@code prep video} output
 * @param format    layout of raw question-pair files
 * @param labels    ensemble with IDX input: the matching IDX label files, or empty
 * @param root      BesNet with an annotation list: where its videos are
 * @param videoFormat BesNet with an annotation list: its layout
 * @param fitFrom   Siamese with raw text: the prep output whose text fit to use (default: the one the model was trained with)
 * @param combiner  ensemble: mean, max or vote (null: the ensemble's own)
 * @param topK      BesNet: classes reported per video
 */
public record PredictConfig(String model, List<String> inputs, PairFormat format, List<String> labels, String root,
                            AnnotationFormat videoFormat, String output,
                            String fitFrom, String combiner, int topK, boolean overwrite) implements Serializable {
    public PredictConfig {
        Objects.requireNonNull(model, "--model");
        Objects.requireNonNull(output, "--output");
        inputs = List.copyOf(inputs);
        labels = List.copyOf(labels);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("--input: at least one file or folder to score is required");
        }
        if (!labels.isEmpty() && labels.size() != inputs.size()) {
            throw new IllegalArgumentException("--labels: one label file per --input image file (" + inputs.size() + " inputs, "
                    + labels.size() + " label files)");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
        }
    }
}
