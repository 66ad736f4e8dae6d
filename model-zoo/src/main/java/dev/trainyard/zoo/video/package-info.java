/**
 * Layers for video networks whose activations are clips, laid out as {@code [N, T, C, H, W]}
 * ("time-major"): a 2D layer then sees {@code [N*T, C, H, W]} through a free reshape, and a
 * temporal layer sees every frame's feature map as one contiguous block. Shape bookkeeping uses
 * DL4J's {@code InputType.convolutional3D} (depth = T); only these layers read the arrays, so the
 * memory layout differs from DL4J's NCDHW without any stock layer noticing.
 */
package dev.trainyard.zoo.video;
