package dev.trainyard.prep.video;

import java.util.Map;

/**
 * What decoding one video gave: its facts, and the RGB24 frames that were asked for, already
 * resized (shorter side) and centre-cropped to height x width, keyed by source frame index.
 */
public record DecodedClipSource(int sourceFrames, double sourceFps, int sourceWidth, int sourceHeight,
                                Map<Integer, byte[]> frames) {
}
