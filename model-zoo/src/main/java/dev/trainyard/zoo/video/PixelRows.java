package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A time-major clip {@code [N, T, C, H, W]} as one row per pixel, {@code [N*T*H'*W', C]} (channels
 * last, every {@code stride}-th pixel). A 1 x 1 convolution is then one matrix product, and the
 * pixels of a run of frames of one clip are a contiguous block of rows, so a time shift is a row
 * offset that BLAS reads in place: no shifted copies, no strided views.
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

    static PixelRows of(INDArray clip, int stride, LayerWorkspaceMgr mgr, ArrayType type) {
        long h = (clip.size(3) - 1) / stride + 1;
        long w = (clip.size(4) - 1) / stride + 1;
        PixelRows shape = new PixelRows(null, clip.size(0), clip.size(1), h, w, stride);
        INDArray rows = shape.fromFrames4d(sampled(ClipShapes.toFrames(clip), stride), mgr, type);
        return new PixelRows(rows, shape.clips, shape.frames, h, w, stride);
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

    long height() {
        return height;
    }

    long width() {
        return width;
    }

    /** Rows of frames [from, from + count) of clip {@code clip}, in any array laid out like these rows. */
    INDArray frames(INDArray rowsLike, long clip, long from, long count) {
        long pixels = height * width;
        long start = (clip * frames + from) * pixels;
        return RowBlock.of(rowsLike, start, count * pixels);
    }

    /** Pixel rows of K channels written into a time-major {@code [N, T, K, H', W']} array. */
    void toFrames(INDArray rowsLike, INDArray out) {
        permute(asFramePixels(rowsLike), frames3d(ClipShapes.toFrames(out)));
    }

    /** A time-major {@code [N, T, K, H', W']} array (an epsilon) as pixel rows {@code [N*T*H'*W', K]}. */
    INDArray fromFrames(INDArray clip, LayerWorkspaceMgr mgr, ArrayType type) {
        return fromFrames4d(ClipShapes.toFrames(clip), mgr, type);
    }

    private INDArray fromFrames4d(INDArray frames4d, LayerWorkspaceMgr mgr, ArrayType type) {
        long k = frames4d.size(1);
        INDArray r = mgr.createUninitialized(type, frames4d.dataType(), new long[]{clips * frames * height * width, k}, 'c');
        if (stride == 1) {
            permute(frames3d(frames4d), asFramePixels(r));
        } else {
            r.reshape('c', clips * frames, height, width, k).assign(frames4d.permute(0, 2, 3, 1));
        }
        return r;
    }

    /** The gradient of the clip these rows came from: the pixel rows' gradient, zero at pixels the stride skipped. */
    INDArray toInputGradient(INDArray rowsGradient, INDArray input, LayerWorkspaceMgr mgr) {
        if (stride == 1) {
            INDArray g = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, rowsGradient.dataType(), input.shape(), 'c');
            toFrames(rowsGradient, g);
            return g;
        }
        INDArray g = mgr.create(ArrayType.ACTIVATION_GRAD, rowsGradient.dataType(), input.shape(), 'c');
        long k = rowsGradient.size(1);
        sampled(ClipShapes.toFrames(g), stride)
                .assign(rowsGradient.reshape('c', clips * frames, height, width, k).permute(0, 3, 1, 2));
        return g;
    }

    /** Pixel rows of K channels seen as {@code [N*T, H'*W', K]}. */
    private INDArray asFramePixels(INDArray rowsLike) {
        return rowsLike.reshape('c', clips * frames, height * width, rowsLike.size(1));
    }

    /** Frames {@code [F, C, H, W]} as {@code [F, C, H*W]}: a view when contiguous (every output here is; an input may be copied). */
    private static INDArray frames3d(INDArray frames4d) {
        return frames4d.reshape('c', frames4d.size(0), frames4d.size(1), frames4d.size(2) * frames4d.size(3));
    }

    /**
     * {@code to = from} with the last two axes swapped. Swapping H*W and C as one axis each runs
     * about twice as fast as the same copy through a 4D permuted view.
     */
    private static void permute(INDArray from, INDArray to) {
        Nd4j.exec(DynamicCustomOp.builder("permute").addInputs(from).addOutputs(to).addIntegerArguments(0, 2, 1).build());
    }

    /**
     * Every stride-th pixel of frames {@code [F, C, H, W]} (the frames themselves at stride 1), as a
     * view built on the root buffer like {@link RowBlock}'s: ND4J M2.1's strided {@code get} fails
     * the same way on an array that is itself a view at an offset.
     */
    private static INDArray sampled(INDArray frames4d, int stride) {
        if (stride == 1) {
            return frames4d;
        }
        long[] shape = {frames4d.size(0), frames4d.size(1), (frames4d.size(2) - 1) / stride + 1, (frames4d.size(3) - 1) / stride + 1};
        long[] strides = {frames4d.stride(0), frames4d.stride(1), frames4d.stride(2) * stride, frames4d.stride(3) * stride};
        return Nd4j.create(RowBlock.root(frames4d), shape, strides, frames4d.offset(), 'c');
    }
}
