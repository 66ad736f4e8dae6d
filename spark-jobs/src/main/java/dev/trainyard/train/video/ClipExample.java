package dev.trainyard.train.video;

import java.io.Serializable;

/** One prepared clip as the training and scoring code carries it (frames still encoded). */
public record ClipExample(String videoId, int clipIndex, int label, String encoding, int height, int width,
                          byte[][] frames) implements Serializable {
}
