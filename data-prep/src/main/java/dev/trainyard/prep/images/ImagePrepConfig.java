package dev.trainyard.prep.images;

import java.io.Serializable;
import java.util.List;

/**
 * {@code trainyard prep images}: IDX image files and their label files, matched by position.
 *
 * @param split        the split every image goes to (e.g. train or test)
 * @param devFraction  with split "train": this share goes to "dev" instead, by a seeded hash of file and index
 * @param numClasses   labels must be in [0, numClasses)
 */
public record ImagePrepConfig(List<String> images, List<String> labels, String output, String split, double devFraction,
                              int numClasses, long seed, boolean overwrite) implements Serializable {
    public ImagePrepConfig {
        images = List.copyOf(images);
        labels = List.copyOf(labels);
        if (images.isEmpty() || images.size() != labels.size()) {
            throw new IllegalArgumentException("give one --labels file for each --images file (got " + images.size() + " and " + labels.size() + ")");
        }
        if (devFraction < 0 || devFraction >= 1) {
            throw new IllegalArgumentException("--dev-fraction must be in [0,1), got " + devFraction);
        }
        if (devFraction > 0 && !"train".equals(split)) {
            throw new IllegalArgumentException("--dev-fraction only applies with --split train");
        }
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("--num-classes must be in 1..256, got " + numClasses);
        }
    }
}
