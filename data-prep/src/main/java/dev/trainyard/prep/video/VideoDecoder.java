package dev.trainyard.prep.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decodes only the frames a clip needs: FFmpeg (through JavaCV) streams the video once, scales
 * each kept frame so its shorter side is the target (FFmpeg's swscale), and the centre crop is
 * copied out as RGB24. Decoding stops after the last needed frame.
 */
public final class VideoDecoder {
    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private VideoDecoder() {
    }

    /** Container facts without decoding: frame count (as reported), fps, size. */
    public record Probe(int frames, double fps, int width, int height) {
    }

    public static Probe probe(String path) throws VideoDecodeException {
        checkFile(path);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(path)) {
            g.start();
            if (g.getVideoStream() < 0 || g.getImageWidth() <= 0) {
                throw new VideoDecodeException(VideoReject.UNREADABLE, path + " has no video stream");
            }
            return new Probe(Math.max(0, g.getLengthInVideoFrames()), g.getVideoFrameRate(), g.getImageWidth(), g.getImageHeight());
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new VideoDecodeException(VideoReject.UNREADABLE, "FFmpeg cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Video packets in the container, read without decoding: the frames it really holds, on the
     * same footing as the frame count its header declares (both count stored frames). Decoding
     * stops after a clip's last frame, so this is how a file cut short is caught whatever frames a
     * clip samples.
     */
    public static int countVideoPackets(String path) throws VideoDecodeException {
        checkFile(path);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(path)) {
            g.start();
            int stream = g.getVideoStream();
            int n = 0;
            for (org.bytedeco.ffmpeg.avcodec.AVPacket p; (p = g.grabPacket()) != null; ) {
                if (p.stream_index() == stream) {
                    n++;
                }
                org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(p);
            }
            return n;
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new VideoDecodeException(VideoReject.UNREADABLE, "FFmpeg cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes the frames at {@code wanted} (source indices). Returns what it found and the number
     * of frames the stream really had if it ended early (so the caller can resample).
     */
    public static DecodedClipSource decode(String path, Set<Integer> wanted, FrameGeometry geometry) throws VideoDecodeException {
        checkFile(path);
        int last = wanted.isEmpty() ? -1 : new TreeSet<>(wanted).last();
        Map<Integer, byte[]> out = new HashMap<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(path)) {
            g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            g.start();
            if (g.getVideoStream() < 0 || g.getImageWidth() <= 0) {
                throw new VideoDecodeException(VideoReject.UNREADABLE, path + " has no video stream");
            }
            int srcW = g.getImageWidth();
            int srcH = g.getImageHeight();
            int[] scaled = geometry.scaled(srcW, srcH);
            g.setImageWidth(scaled[0]);
            g.setImageHeight(scaled[1]);
            int reported = Math.max(0, g.getLengthInVideoFrames());
            double fps = g.getVideoFrameRate();
            int index = 0;
            Frame f;
            try {
                while (index <= last && (f = g.grabImage()) != null) {
                    if (wanted.contains(index)) {
                        out.put(index, geometry.crop((ByteBuffer) f.image[0], f.imageWidth, f.imageHeight, f.imageStride));
                    }
                    index++;
                }
            } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
                throw new VideoDecodeException(VideoReject.TRUNCATED, path + " fails to decode at frame " + index + ": " + e.getMessage(), e);
            }
            // index = frames actually decoded when the stream ended before the last wanted frame
            int frames = index <= last ? index : Math.max(reported, index);
            return new DecodedClipSource(frames, fps, srcW, srcH, out);
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new VideoDecodeException(VideoReject.UNREADABLE, "FFmpeg cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The frames of an mmaction rawframes folder ({@code img_00001.jpg ...}); a missing number
     * before the last frame is a gap and the folder is rejected.
     */
    public static DecodedClipSource decodeFolder(String dir, Set<Integer> wanted, FrameGeometry geometry, int frames)
            throws VideoDecodeException {
        Map<Integer, byte[]> out = new HashMap<>();
        int w = 0;
        int h = 0;
        for (int i : new TreeSet<>(wanted)) {
            File img = new File(dir, String.format("img_%05d.jpg", i + 1));
            try {
                BufferedImage src = javax.imageio.ImageIO.read(img);
                if (src == null) {
                    throw new VideoDecodeException(VideoReject.UNREADABLE, img + " is not a readable image");
                }
                w = src.getWidth();
                h = src.getHeight();
                out.put(i, resizeCrop(src, geometry));
            } catch (IOException e) {
                throw new VideoDecodeException(VideoReject.UNREADABLE, "cannot read " + img + ": " + e.getMessage(), e);
            }
        }
        return new DecodedClipSource(frames, 0, w, h, out);
    }

    /** Counts img_NNNNN.jpg frames and checks they run 1..n without a gap. */
    public static int countFolderFrames(String dir) throws VideoDecodeException {
        File d = new File(dir);
        String[] names = d.list((x, n) -> n.matches("img_\\d{5}\\.jpg"));
        if (!d.isDirectory() || names == null) {
            throw new VideoDecodeException(VideoReject.MISSING_FILE, "frame folder " + dir + " does not exist");
        }
        java.util.Arrays.sort(names);
        for (int i = 0; i < names.length; i++) {
            int n = Integer.parseInt(names[i].substring(4, 9));
            if (n != i + 1) {
                throw new VideoDecodeException(VideoReject.FRAME_GAP, "frame folder " + dir + " jumps from frame " + i + " to " + n);
            }
        }
        return names.length;
    }

    static byte[] resizeCrop(BufferedImage src, FrameGeometry g) throws VideoDecodeException {
        int[] s = g.scaled(src.getWidth(), src.getHeight());
        BufferedImage scaled = new BufferedImage(s[0], s[1], BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D gr = scaled.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        gr.drawImage(src, 0, 0, s[0], s[1], null);
        gr.dispose();
        byte[] bgr = ((java.awt.image.DataBufferByte) scaled.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return g.crop(ByteBuffer.wrap(rgb), s[0], s[1], s[0] * 3);
    }

    private static void checkFile(String path) throws VideoDecodeException {
        File f = new File(path);
        if (!f.isFile()) {
            throw new VideoDecodeException(VideoReject.MISSING_FILE, "video file " + path + " does not exist");
        }
        if (f.length() == 0) {
            throw new VideoDecodeException(VideoReject.EMPTY_FILE, "video file " + path + " has no bytes");
        }
    }
}
