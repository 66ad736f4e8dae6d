package dev.trainyard.prep.video;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SYNTHETIC action videos whose classes can only be told apart by motion over time. Every class
 * draws the same thing, a coloured bar of random length and orientation at a random place on a
 * noisy background, so a single frame has the same distribution in every class; what differs is
 * how it moves: direction, speed, rotation sense, back-and-forth periodicity, or the order of a
 * colour change. Written as real encoded videos through FFmpeg (MPEG-4 in mp4) in the Kinetics
 * layout ({@code annotations.csv}, {@code classes.txt}, {@code videos/<class>/<id>_000000_<end>.mp4}),
 * and optionally as mmaction frame folders. Not real data: {@code PROVENANCE.json} says so.
 */
public final class SyntheticVideoGenerator {
    /** Class names, in label-index order. */
    public static final List<String> CLASSES = List.of("moving left", "moving right", "moving up", "moving down",
            "rotating clockwise", "rotating anticlockwise", "moving right fast", "swinging left and right",
            "red turning blue", "blue turning red");

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private SyntheticVideoGenerator() {
    }

    public record Config(Path output, int perClass, int frames, double fps, int width, int height, boolean frameFolders,
                         double trainFraction, long seed) {
        public Config {
            if (perClass < 1 || frames < 2 || !(fps > 0) || width < 16 || height < 16) {
                throw new IllegalArgumentException("need >= 1 video per class, >= 2 frames, fps > 0 and at least 16x16 pixels");
            }
            if (width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("width and height must be even (YUV 4:2:0 video), got " + width + "x" + height);
            }
            if (trainFraction < 0 || trainFraction > 1) {
                throw new IllegalArgumentException("--train-fraction must be in [0,1], got " + trainFraction);
            }
        }
    }

    /** Writes the dataset; returns the number of videos. */
    public static int write(Config cfg) {
        try {
            Files.createDirectories(cfg.output());
            Files.write(cfg.output().resolve("classes.txt"), CLASSES);
            StringBuilder csv = new StringBuilder("label,youtube_id,time_start,time_end,split\n");
            StringBuilder frameList = new StringBuilder();
            SplittableRandom split = new SplittableRandom(cfg.seed() ^ 0x5DEECE66DL);
            int end = (int) Math.ceil(cfg.frames() / cfg.fps());
            int n = 0;
            for (int c = 0; c < CLASSES.size(); c++) {
                String folder = CLASSES.get(c).replace(' ', '_');
                Files.createDirectories(cfg.output().resolve("videos").resolve(folder));
                for (int v = 0; v < cfg.perClass(); v++) {
                    String id = String.format("synth%02d%04d", c, v);
                    String name = String.format("%s_%06d_%06d", id, 0, end);
                    SplittableRandom rnd = new SplittableRandom(FrameSampler.videoSeed(cfg.seed(), name));
                    List<BufferedImage> frames = render(c, cfg, rnd);
                    encode(frames, cfg, cfg.output().resolve("videos").resolve(folder).resolve(name + ".mp4"));
                    if (cfg.frameFolders()) {
                        Path dir = Files.createDirectories(cfg.output().resolve("rawframes").resolve(folder).resolve(name));
                        for (int i = 0; i < frames.size(); i++) {
                            ImageIO.write(frames.get(i), "jpg", dir.resolve(String.format("img_%05d.jpg", i + 1)).toFile());
                        }
                        frameList.append(folder).append('/').append(name).append(' ').append(frames.size()).append(' ').append(c).append('\n');
                    }
                    csv.append(CLASSES.get(c)).append(',').append(id).append(",0,").append(end).append(',')
                            .append(split.nextDouble() < cfg.trainFraction() ? "train" : "val").append('\n');
                    n++;
                }
            }
            Files.writeString(cfg.output().resolve("annotations.csv"), csv);
            if (cfg.frameFolders()) {
                Files.writeString(cfg.output().resolve("rawframes_list.txt"), frameList);
            }
            Files.writeString(cfg.output().resolve("PROVENANCE.json"), "{\n  \"synthetic\": true,\n  \"generator\": \"trainyard generate video\",\n"
                    + "  \"note\": \"SYNTHETIC action videos: classes differ only by motion over time; not real footage\",\n"
                    + "  \"videos\": " + n + ",\n  \"frames\": " + cfg.frames() + ",\n  \"fps\": " + cfg.fps() + ",\n  \"seed\": " + cfg.seed() + "\n}\n");
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic videos to " + cfg.output(), e);
        }
    }

    /** The frames of one video of class {@code c}. */
    static List<BufferedImage> render(int c, Config cfg, SplittableRandom rnd) {
        int w = cfg.width();
        int h = cfg.height();
        double x = rnd.nextDouble() * w;
        double y = rnd.nextDouble() * h;
        double angle = rnd.nextDouble() * Math.PI;
        double length = Math.min(w, h) * (0.25 + 0.2 * rnd.nextDouble());
        double speed = Math.min(w, h) * (0.015 + 0.015 * rnd.nextDouble());
        double spin = Math.PI / 40 * (0.8 + 0.4 * rnd.nextDouble());
        double phase = rnd.nextDouble() * Math.PI * 2;
        double period = cfg.frames() / (1.5 + rnd.nextDouble());
        boolean red = rnd.nextBoolean();
        int switchAt = cfg.frames() / 3 + rnd.nextInt(Math.max(1, cfg.frames() / 3));
        long noiseSeed = rnd.nextLong();
        List<BufferedImage> out = new java.util.ArrayList<>();
        for (int t = 0; t < cfg.frames(); t++) {
            double px = x;
            double py = y;
            double a = angle;
            Color colour = red ? Color.RED : Color.BLUE;
            switch (c) {
                case 0 -> px = x - speed * t;
                case 1 -> px = x + speed * t;
                case 2 -> py = y - speed * t;
                case 3 -> py = y + speed * t;
                case 4 -> a = angle + spin * t;
                case 5 -> a = angle - spin * t;
                case 6 -> px = x + 2.5 * speed * t;
                case 7 -> px = x + w * 0.25 * Math.sin(phase + 2 * Math.PI * t / period);
                case 8 -> colour = t < switchAt ? Color.RED : Color.BLUE;
                default -> colour = t < switchAt ? Color.BLUE : Color.RED;
            }
            out.add(frame(w, h, wrap(px, w), wrap(py, h), a, length, colour, new SplittableRandom(noiseSeed + t)));
        }
        return out;
    }

    private static double wrap(double v, int size) {
        return ((v % size) + size) % size;
    }

    private static BufferedImage frame(int w, int h, double x, double y, double angle, double length, Color colour, SplittableRandom noise) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (100 + noise.nextInt(40));
        }
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(colour);
        g.setStroke(new BasicStroke(Math.max(3f, Math.min(w, h) / 12f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double dx = Math.cos(angle) * length / 2;
        double dy = Math.sin(angle) * length / 2;
        g.drawLine((int) (x - dx), (int) (y - dy), (int) (x + dx), (int) (y + dy));
        g.dispose();
        return img;
    }

    private static void encode(List<BufferedImage> frames, Config cfg, Path file) throws IOException {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), cfg.width(), cfg.height(), 0);
             Java2DFrameConverter conv = new Java2DFrameConverter()) {
            r.setFormat("mp4");
            r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(cfg.fps());
            r.setVideoQuality(2);
            r.start();
            for (BufferedImage f : frames) {
                r.record(conv.convert(f));
            }
        }
    }
}
