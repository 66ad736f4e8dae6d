package dev.trainyard.zoo.video;

/**
 * What a temporal kernel sees beyond the first and last frame. ZERO is the usual convolution
 * padding (border frames see only 2 of 3 taps). REPLICATE repeats the edge frame, so a static clip
 * stays static through every layer: an inflated network then reproduces its 2D source exactly at
 * every frame, not only in the interior.
 */
public enum TemporalPadding { ZERO, REPLICATE }
