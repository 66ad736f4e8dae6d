/**
 * Layers for video networks whose activations are clips, laid out as {@code [N, T, H, W, C]}
 * (time-major, channels last): a 2D layer then sees NHWC frames {@code [N*T, H, W, C]} through a
 * free reshape, and a temporal layer sees the clip as pixel rows {@code [N*T*H*W, C]}, each run of
 * frames of a clip one contiguous block. Shape bookkeeping uses DL4J's
 * {@code InputType.convolutional3D} (depth = T); only these layers read the arrays, so the memory
 * layout differs from DL4J's NCDHW without any stock layer noticing.
 */
package dev.trainyard.zoo.video;
