package dev.trainyard.prep.video;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns one listed video into clips on an executor: find the file, count its frames, sample,
 * decode only those frames, encode. Every failure becomes a quarantine reason; nothing throws.
 */
final class ClipExtractor implements Serializable {
    private static final long serialVersionUID = 1L;
    private final VideoPrepConfig cfg;

    ClipExtractor(VideoPrepConfig cfg) {
        this.cfg = cfg;
    }

    VideoResult extract(VideoEntry e) {
        String path = e.candidates().stream().filter(VideoFiles::exists).findFirst().orElse(null);
        if (path == null) {
            return VideoResult.rejected(e, e.candidates().get(0), VideoReject.MISSING_FILE,
                    (e.frameFolder() ? "frame folder" : "video") + " for " + e.videoId() + " not found (looked for "
                            + e.candidates().get(0) + (e.candidates().size() > 1 ? " and " + (e.candidates().size() - 1) + " other names" : "") + ")");
        }
        if (!cfg.allowOutsideRoot() && !RootContainment.realInside(cfg.root(), path)) {
            return VideoResult.rejected(e, path, VideoReject.OUTSIDE_ROOT, "through a symbolic link, "
                    + RootContainment.outsideMessage(cfg.root(), path));
        }
        long seed = FrameSampler.videoSeed(cfg.seed(), e.videoId());
        try {
            if (e.frameFolder()) {
                return folder(e, VideoFiles.localPath(path), seed);
            }
            try (VideoFiles.Local local = VideoFiles.open(path)) {
                VideoResult r = video(e, local.path(), seed);
                return new VideoResult(r.entry(), path, r.clips(), r.reason(), r.detail());
            }
        } catch (VideoDecodeException x) {
            return VideoResult.rejected(e, path, x.reason(), x.getMessage());
        } catch (FrameSampler.TooShortException x) {
            return VideoResult.rejected(e, path, VideoReject.TOO_SHORT, x.getMessage());
        } catch (RuntimeException x) {
            return VideoResult.rejected(e, path, VideoReject.UNREADABLE, x.getClass().getSimpleName() + ": " + x.getMessage());
        }
    }

    private VideoResult video(VideoEntry e, String path, long seed) throws VideoDecodeException, FrameSampler.TooShortException {
        VideoDecoder.Probe probe = VideoDecoder.probe(path);
        int reported = probe.frames() > 0 ? probe.frames()
                // no length in the container (some webm/mkv): count by decoding
                : VideoDecoder.decode(path, Set.of(Integer.MAX_VALUE - 1), cfg.geometry()).sourceFrames();
        if (probe.frames() > 0) {
            // a file cut short is caught here for every sampling mode, not only when a clip reaches past the cut
            reported = Math.max(reported, AviHeader.totalFrames(path).orElse(0));
            int stored = VideoDecoder.countVideoPackets(path);
            if (reported - stored > tolerance(reported)) {
                throw new VideoDecodeException(VideoReject.TRUNCATED, path + " declares " + reported + " frames but holds only "
                        + stored);
            }
        }
        List<int[]> clips = cfg.sampler().sample(reported, probe.fps(), seed);
        DecodedClipSource d = VideoDecoder.decode(path, wanted(clips), cfg.geometry());
        if (!d.frames().keySet().containsAll(wanted(clips))) {
            int missing = reported - d.sourceFrames();
            if (missing > tolerance(reported)) {
                throw new VideoDecodeException(VideoReject.TRUNCATED, path + " declares " + reported + " frames but only "
                        + d.sourceFrames() + " decode");
            }
            // containers may over-report by a frame or two: sample again from the frames that really decode
            clips = cfg.sampler().sample(d.sourceFrames(), probe.fps(), seed);
            d = VideoDecoder.decode(path, wanted(clips), cfg.geometry());
        }
        return result(e, path, clips, d, probe.fps());
    }

    /** Frames a container may over-report by without being called truncated. */
    private static int tolerance(int reported) {
        return Math.max(2, reported / 100);
    }

    private VideoResult folder(VideoEntry e, String path, long seed) throws VideoDecodeException, FrameSampler.TooShortException {
        int n = VideoDecoder.countFolderFrames(path);
        if (e.listedFrames() >= 0 && n != e.listedFrames()) {
            throw new VideoDecodeException(VideoReject.FRAME_GAP, "frame folder " + path + " has " + n
                    + " frames, the list says " + e.listedFrames());
        }
        List<int[]> clips = cfg.sampler().sample(n, cfg.folderFps(), seed);
        return result(e, path, clips, VideoDecoder.decodeFolder(path, wanted(clips), cfg.geometry(), n), cfg.folderFps());
    }

    private VideoResult result(VideoEntry e, String path, List<int[]> clips, DecodedClipSource d, double fps) {
        List<VideoResult.Clip> out = new ArrayList<>();
        for (int c = 0; c < clips.size(); c++) {
            List<byte[]> frames = new ArrayList<>();
            for (int i : clips.get(c)) {
                byte[] rgb = d.frames().get(i);
                frames.add(cfg.encoding().equals(ClipSchema.JPEG) ? jpeg(rgb, cfg.geometry(), cfg.jpegQuality()) : rgb);
            }
            out.add(new VideoResult.Clip(c, clips.get(c), frames, fps, d.sourceFrames()));
        }
        return new VideoResult(e, path, out, null, null);
    }

    private static Set<Integer> wanted(List<int[]> clips) {
        Set<Integer> s = new TreeSet<>();
        clips.forEach(c -> {
            for (int i : c) {
                s.add(i);
            }
        });
        return s;
    }

    static byte[] jpeg(byte[] rgb, FrameGeometry g, int quality) {
        BufferedImage img = new BufferedImage(g.width(), g.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
