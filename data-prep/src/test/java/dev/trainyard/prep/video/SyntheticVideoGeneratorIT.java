package dev.trainyard.prep.video;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticVideoGeneratorIT {
    private static final int FRAMES = 24;
    private static final int SIZE = 64;
    @TempDir
    Path tmp;

    /** Centre of the bar's pixels (red or blue) per frame, and which colour dominates. */
    private static List<double[]> track(String video) throws Exception {
        Set<Integer> all = IntStream.range(0, FRAMES).boxed().collect(Collectors.toSet());
        DecodedClipSource d = VideoDecoder.decode(video, all, new FrameGeometry(SIZE, SIZE, SIZE));
        assertEquals(FRAMES, d.sourceFrames());
        List<double[]> out = new ArrayList<>();
        for (int t = 0; t < FRAMES; t++) {
            byte[] f = d.frames().get(t);
            double sx = 0, sy = 0, n = 0, red = 0;
            for (int p = 0; p < SIZE * SIZE; p++) {
                int r = f[p * 3] & 0xff, g = f[p * 3 + 1] & 0xff, b = f[p * 3 + 2] & 0xff;
                boolean isRed = r > 170 && g < 90 && b < 90;
                boolean isBlue = b > 170 && r < 90 && g < 90;
                if (isRed || isBlue) {
                    sx += p % SIZE;
                    sy += p / SIZE;
                    n++;
                    red += isRed ? 1 : 0;
                }
            }
            out.add(new double[]{sx / n, sy / n, red / n});
        }
        return out;
    }

    /** Median step of a coordinate, taking the shorter way round the wrap. */
    private static double medianStep(List<double[]> track, int coord) {
        List<Double> steps = new ArrayList<>();
        for (int t = 1; t < track.size(); t++) {
            double s = track.get(t)[coord] - track.get(t - 1)[coord];
            steps.add(s > SIZE / 2.0 ? s - SIZE : s < -SIZE / 2.0 ? s + SIZE : s);
        }
        steps.sort(Double::compare);
        return steps.get(steps.size() / 2);
    }

    @Test
    void classesDifferByTheirMotionAndTheDatasetPrepsWithNothingQuarantined() throws Exception {
        Path out = tmp.resolve("synthetic");
        int n = SyntheticVideoGenerator.write(new SyntheticVideoGenerator.Config(out, 1, FRAMES, 25, SIZE, SIZE, true, 0.5, 3));
        assertEquals(SyntheticVideoGenerator.CLASSES.size(), n);
        assertTrue(Files.readString(out.resolve("PROVENANCE.json")).contains("\"synthetic\": true"));

        String v = out.resolve("videos").toString();
        List<double[]> left = track(v + "/moving_left/synth000000_000000_000001.mp4");
        List<double[]> right = track(v + "/moving_right/synth010000_000000_000001.mp4");
        List<double[]> up = track(v + "/moving_up/synth020000_000000_000001.mp4");
        List<double[]> down = track(v + "/moving_down/synth030000_000000_000001.mp4");
        List<double[]> fast = track(v + "/moving_right_fast/synth060000_000000_000001.mp4");
        assertTrue(medianStep(left, 0) < -0.5, "left moves left");
        assertTrue(medianStep(right, 0) > 0.5, "right moves right");
        assertTrue(medianStep(up, 1) < -0.5, "up moves up");
        assertTrue(medianStep(down, 1) > 0.5, "down moves down");
        assertTrue(medianStep(fast, 0) > 1.5 * medianStep(right, 0), "fast is faster");
        List<double[]> redToBlue = track(v + "/red_turning_blue/synth080000_000000_000001.mp4");
        List<double[]> blueToRed = track(v + "/blue_turning_red/synth090000_000000_000001.mp4");
        assertTrue(redToBlue.get(0)[2] > 0.9 && redToBlue.get(FRAMES - 1)[2] < 0.1, "red first, blue last");
        assertTrue(blueToRed.get(0)[2] < 0.1 && blueToRed.get(FRAMES - 1)[2] > 0.9, "blue first, red last");

        // the Kinetics layout it writes is what prep video reads
        FrameSampler s = new FrameSampler(8, 2, FrameSampler.Mode.STRIDED, FrameSampler.Start.RANDOM, 1, 0);
        JsonNode summary = VideoPrepJob.run(LocalSpark.get(), new VideoPrepConfig(out.resolve("annotations.csv").toString(),
                AnnotationFormat.KINETICS_CSV, v, out.resolve("classes.txt").toString(), tmp.resolve("clips").toString(), s,
                new FrameGeometry(64, 56, 56), ClipSchema.JPEG, 90, null, 25, 1, false));
        assertEquals(n, summary.path("videos_with_clips").asLong());
        assertEquals(0, summary.path("videos_quarantined").asLong());
        assertEquals(10, Files.readAllLines(out.resolve("rawframes_list.txt")).size());
        assertEquals(FRAMES, VideoDecoder.countFolderFrames(out.resolve("rawframes/moving_left/synth000000_000000_000001").toString()));
    }
}
