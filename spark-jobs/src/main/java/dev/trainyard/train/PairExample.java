package dev.trainyard.train;

import java.io.Serializable;

/** One labelled question pair as the network sees it: two feature vectors and the label. */
public record PairExample(String pairId, float[] q1, float[] q2, float label) implements Serializable {
}
