package dev.trainyard.prep.video;

import java.util.Objects;

/**
 * {@code trainyard prep video}.
 *
 * @param annotations    the annotation file (Kinetics CSV or an mmaction list)
 * @param root           where the videos or frame folders are
 * @param classes        class-list file: line n (from 0) is label index n
 * @param split          put every video in this split (null: the CSV's split column; mmaction lists: "unsplit")
 * @param folderFps      frame rate assumed for frame folders (they carry none)
 * @param encoding       {@link ClipSchema#RAW} or {@link ClipSchema#JPEG}
 * @param jpegQuality    0..100, with JPEG encoding
 * @param allowOutsideRoot read files the annotation file lists outside {@code root} (absolute paths, "..")
 */
public record VideoPrepConfig(String annotations, AnnotationFormat format, String root, String classes, String output,
                              FrameSampler sampler, FrameGeometry geometry, String encoding, int jpegQuality, String split,
                              double folderFps, long seed, boolean overwrite, boolean allowOutsideRoot) implements java.io.Serializable {

    public VideoPrepConfig(String annotations, AnnotationFormat format, String root, String classes, String output,
                           FrameSampler sampler, FrameGeometry geometry, String encoding, int jpegQuality, String split,
                           double folderFps, long seed, boolean overwrite) {
        this(annotations, format, root, classes, output, sampler, geometry, encoding, jpegQuality, split, folderFps, seed, overwrite,
                false);
    }
    public VideoPrepConfig {
        Objects.requireNonNull(annotations, "--annotations");
        Objects.requireNonNull(format, "--format");
        Objects.requireNonNull(root, "--root");
        Objects.requireNonNull(classes, "--classes");
        Objects.requireNonNull(output, "--output");
        if (!encoding.equals(ClipSchema.RAW) && !encoding.equals(ClipSchema.JPEG)) {
            throw new IllegalArgumentException("--encoding must be " + ClipSchema.RAW + " or " + ClipSchema.JPEG + ", got " + encoding);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("--jpeg-quality must be in 1..100, got " + jpegQuality);
        }
        if (!(folderFps > 0)) {
            throw new IllegalArgumentException("--folder-fps must be > 0, got " + folderFps);
        }
    }
}
