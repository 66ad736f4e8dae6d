package dev.trainyard.prep.video;

import java.io.Serializable;

/**
 * Resize so the shorter side is {@code shortSide}, then crop the centre {@code height x width}.
 */
public record FrameGeometry(int shortSide, int height, int width) implements Serializable {
    public FrameGeometry {
        if (shortSide < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("short side, height and width must be >= 1");
        }
        if (height > shortSide && width > shortSide) {
            throw new IllegalArgumentException("crop " + height + "x" + width + " does not fit a frame whose shorter side is " + shortSide);
        }
    }

    /** {width, height} after the resize. */
    public int[] scaled(int srcWidth, int srcHeight) {
        if (srcWidth <= srcHeight) {
            return new int[]{shortSide, (int) Math.round((double) srcHeight * shortSide / srcWidth)};
        }
        return new int[]{(int) Math.round((double) srcWidth * shortSide / srcHeight), shortSide};
    }

    /** Copies the centre crop out of a packed RGB24 image with the given row stride. */
    public byte[] crop(java.nio.ByteBuffer rgb, int imgWidth, int imgHeight, int rowStride) throws VideoDecodeException {
        if (imgWidth < width || imgHeight < height) {
            throw new VideoDecodeException(VideoReject.UNREADABLE, "frame " + imgWidth + "x" + imgHeight
                    + " is smaller than the crop " + width + "x" + height);
        }
        int x0 = (imgWidth - width) / 2;
        int y0 = (imgHeight - height) / 2;
        byte[] out = new byte[height * width * 3];
        for (int y = 0; y < height; y++) {
            rgb.position((y0 + y) * rowStride + x0 * 3);
            rgb.get(out, y * width * 3, width * 3);
        }
        return out;
    }
}
