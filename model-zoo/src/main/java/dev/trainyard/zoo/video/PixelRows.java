package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A channels-last clip {@code [N, T, H, W, C]} as one row per pixel, {@code [N*T*H'*W', C]} (every
 * {@code stride}-th pixel). At stride 1 that is the clip itself, reshaped: no copy. A 1 x 1
 * convolution is then one matrix product, and the pixels of a run of frames of one clip are a
 * contiguous block of rows, so a time shift is a row offset that BLAS reads in place.
 */
final class PixelRows {
    private final INDArray rows;
    private final long clips;
    private final long frames;
    private final long height;
    private final long width;
    private final int stride;

    private PixelRows(INDArray rows, long clips, long frames, long height, long width, int stride) {
        this.rows = rows;
        this.clips = clips;
        this.frames = frames;
        this.height = height;
        this.width = width;
        this.stride = stride;
    }

    /** The rows of {@code clip}: a view at stride 1, else the sampled pixels copied into an array of {@code type}. */
    static PixelRows of(INDArray clip, int stride, LayerWorkspaceMgr mgr, ArrayType type) {
        long h = (clip.size(2) - 1) / stride + 1;
        long w = (clip.size(3) - 1) / stride + 1;
        long c = ClipShapes.channels(clip);
        long n = clip.size(0) * clip.size(1) * h * w;
        INDArray rows;
        if (stride == 1) {
            rows = clip.reshape('c', n, c);
        } else {
            rows = mgr.createUninitialized(type, clip.dataType(), new long[]{n, c}, 'c');
            rows.reshape('c', clip.size(0) * clip.size(1), h, w, c).assign(sampled(ClipShapes.toFrames(clip), stride));
        }
        return new PixelRows(rows, clip.size(0), clip.size(1), h, w, stride);
    }

    INDArray rows() {
        return rows;
    }

    long clips() {
        return clips;
    }

    long frames() {
        return frames;
    }

    /** Rows of frames [from, from + count) of clip {@code clip}, in any array laid out like these rows. */
    INDArray frames(INDArray rowsLike, long clip, long from, long count) {
        long pixels = height * width;
        long start = (clip * frames + from) * pixels;
        return RowBlock.of(rowsLike, start, count * pixels);
    }

    /** The shape of the clip that pixel rows of K channels are: {@code [N, T, H', W', K]}. */
    long[] clipShape(long channels) {
        return new long[]{clips, frames, height, width, channels};
    }

    /** A channels-last clip gradient {@code [N, T, H', W', K]} (an epsilon) as pixel rows {@code [N*T*H'*W', K]}. */
    INDArray fromClip(INDArray clip) {
        return clip.reshape('c', clips * frames * height * width, ClipShapes.channels(clip));
    }

    /**
     * Rows for the gradient of the clip these rows came from: at stride 1 they are that gradient, in
     * ACTIVATION_GRAD ({@link #toInputGradient} then only reshapes them); else working memory.
     */
    INDArray newInputGradientRows(INDArray input, LayerWorkspaceMgr mgr) {
        ArrayType type = stride == 1 ? ArrayType.ACTIVATION_GRAD : ArrayType.BP_WORKING_MEM;
        return mgr.createUninitialized(type, input.dataType(), rows.shape(), 'c');
    }

    /** The gradient of the clip these rows came from: the pixel rows' gradient, zero at pixels the stride skipped. */
    INDArray toInputGradient(INDArray rowsGradient, INDArray input, LayerWorkspaceMgr mgr) {
        if (stride == 1) {
            return rowsGradient.reshape('c', input.shape());
        }
        INDArray g = mgr.create(ArrayType.ACTIVATION_GRAD, rowsGradient.dataType(), input.shape(), 'c');
        long k = rowsGradient.size(1);
        sampled(ClipShapes.toFrames(g), stride).assign(rowsGradient.reshape('c', clips * frames, height, width, k));
        return g;
    }

    /**
     * Every stride-th pixel of frames {@code [F, H, W, C]} (the frames themselves at stride 1), as a
     * view built on the root buffer like {@link RowBlock}'s: ND4J M2.1's strided {@code get} fails
     * the same way on an array that is itself a view at an offset.
     */
    private static INDArray sampled(INDArray frames4d, int stride) {
        if (stride == 1) {
            return frames4d;
        }
        long[] shape = {frames4d.size(0), (frames4d.size(1) - 1) / stride + 1, (frames4d.size(2) - 1) / stride + 1, frames4d.size(3)};
        long[] strides = {frames4d.stride(0), frames4d.stride(1) * stride, frames4d.stride(2) * stride, frames4d.stride(3)};
        return Nd4j.create(RowBlock.root(frames4d), shape, strides, frames4d.offset(), 'c');
    }
}
