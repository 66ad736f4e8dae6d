package dev.trainyard.prep.video;

import dev.trainyard.prep.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoDecoderTest {
    private static final FrameGeometry G = new FrameGeometry(128, 112, 112);
    @TempDir
    Path tmp;

    /** The numbers ffprobe reports for these files (../shared/data/video/PROVENANCE.md). */
    @ParameterizedTest
    @CsvSource({"demo.mp4,280,28,340,256", "test.mp4,300,30,340,256", "test.avi,164,25,320,240", "rawvideo_dataset_part_0.mp4,32,30,340,256"})
    void decodedFrameCountsSizesAndRatesMatchWhatFfmpegReports(String name, int frames, double fps, int w, int h) throws Exception {
        String path = SharedData.require("video/clips/mmaction2/" + name).toString();
        Set<Integer> all = IntStream.range(0, frames + 10).boxed().collect(Collectors.toSet());
        DecodedClipSource d = VideoDecoder.decode(path, all, G);
        assertEquals(frames, d.sourceFrames(), "frames decoded");
        assertEquals(frames, d.frames().size());
        assertEquals(fps, d.sourceFps(), 0.01);
        assertEquals(w, d.sourceWidth());
        assertEquals(h, d.sourceHeight());
        assertEquals(112 * 112 * 3, d.frames().get(0).length);
    }

    @Test
    void onlyTheWantedFramesAreKept() throws Exception {
        String path = SharedData.require("video/clips/mmaction2/demo.mp4").toString();
        DecodedClipSource d = VideoDecoder.decode(path, Set.of(3, 10, 200), G);
        assertEquals(Set.of(3, 10, 200), d.frames().keySet());
    }

    @Test
    void aVideoFrameMatchesTheSameFrameExtractedByFfmpegAsJpeg() throws Exception {
        // kinetics_like/rawframes holds every frame of demo.mp4 as extracted by the ffmpeg CLI (JPEG q4)
        String video = SharedData.require("video/kinetics_like/videos/val/arm_wrestling/mmaction2_demo.mp4").toString();
        String frames = SharedData.require("video/kinetics_like/rawframes/val/arm_wrestling/mmaction2_demo").toString();
        byte[] fromVideo = VideoDecoder.decode(video, Set.of(100), G).frames().get(100);
        byte[] fromJpeg = VideoDecoder.decodeFolder(frames, Set.of(100), G, 280).frames().get(100);
        double meanAbs = 0;
        for (int i = 0; i < fromVideo.length; i++) {
            meanAbs += Math.abs((fromVideo[i] & 0xff) - (fromJpeg[i] & 0xff));
        }
        meanAbs /= fromVideo.length;
        assertTrue(meanAbs < 8, "same frame, two decoders + JPEG loss: mean |diff| " + meanAbs);
        byte[] otherFrame = VideoDecoder.decodeFolder(frames, Set.of(10), G, 280).frames().get(10);
        double other = 0;
        for (int i = 0; i < fromVideo.length; i++) {
            other += Math.abs((fromVideo[i] & 0xff) - (otherFrame[i] & 0xff));
        }
        assertTrue(other / fromVideo.length > meanAbs, "a different frame differs more");
    }

    @Test
    void badFilesFailWithTheirQuarantineReason() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.mp4"));
        assertEquals(VideoReject.EMPTY_FILE, assertThrows(VideoDecodeException.class,
                () -> VideoDecoder.decode(empty.toString(), Set.of(0), G)).reason());
        assertEquals(VideoReject.MISSING_FILE, assertThrows(VideoDecodeException.class,
                () -> VideoDecoder.decode(tmp.resolve("nope.mp4").toString(), Set.of(0), G)).reason());
        Path garbage = tmp.resolve("garbage.mp4");
        Files.write(garbage, new byte[4096]);
        assertEquals(VideoReject.UNREADABLE, assertThrows(VideoDecodeException.class,
                () -> VideoDecoder.decode(garbage.toString(), Set.of(0), G)).reason());
    }

    @Test
    void aTruncatedVideoEndsEarlyAndSaysHowManyFramesItHad() throws Exception {
        Path src = SharedData.require("video/clips/mmaction2/test.mp4");
        byte[] bytes = Files.readAllBytes(src);
        Path cut = tmp.resolve("cut.mp4");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        Set<Integer> all = IntStream.range(0, 300).boxed().collect(Collectors.toSet());
        try {
            DecodedClipSource d = VideoDecoder.decode(cut.toString(), all, G);
            assertTrue(d.sourceFrames() < 300, "a third of the file cannot hold all 300 frames: " + d.sourceFrames());
        } catch (VideoDecodeException e) {
            assertTrue(Set.of(VideoReject.UNREADABLE, VideoReject.TRUNCATED).contains(e.reason()), e.reason());
        }
    }

    @Test
    void frameFoldersWithAGapAreRejected() throws Exception {
        Path src = SharedData.require("video/rawframes/mmaction2_tests_data_imgs");
        Path dir = Files.createDirectories(tmp.resolve("frames"));
        for (int i : new int[]{1, 2, 4}) {
            Files.copy(src.resolve(String.format("img_%05d.jpg", i)), dir.resolve(String.format("img_%05d.jpg", i)));
        }
        assertEquals(VideoReject.FRAME_GAP, assertThrows(VideoDecodeException.class,
                () -> VideoDecoder.countFolderFrames(dir.toString())).reason());
        assertEquals(10, VideoDecoder.countFolderFrames(src.toString()));
    }

    @Test
    void geometryScalesTheShorterSideAndCropsTheCentre() throws Exception {
        assertArrayEquals(new int[]{170, 128}, G.scaled(340, 256));
        assertArrayEquals(new int[]{128, 171}, G.scaled(240, 320));
        byte[] img = new byte[4 * 4 * 3];
        for (int i = 0; i < img.length; i++) {
            img[i] = (byte) i;
        }
        byte[] c = new FrameGeometry(2, 2, 2).crop(java.nio.ByteBuffer.wrap(img), 4, 4, 12);
        // rows 1..2, columns 1..2 of a 4x4 RGB image
        assertArrayEquals(new byte[]{15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32}, c);
    }

    /** Whole files store every frame they declare; the packet count is what catches a cut whatever a clip samples. */
    @ParameterizedTest
    @CsvSource({"demo.mp4,280", "test.mp4,300", "test.avi,164", "rawvideo_dataset_part_0.mp4,32"})
    void wholeFilesHoldThePacketsTheyDeclare(String name, int frames) throws Exception {
        assertEquals(frames, VideoDecoder.countVideoPackets(SharedData.require("video/clips/mmaction2/" + name).toString()));
    }

    @ParameterizedTest
    @CsvSource({"STRIDED,CENTRE", "STRIDED,RANDOM", "UNIFORM,CENTRE"})
    void aTruncatedAviIsTruncatedUnderEverySamplingMode(FrameSampler.Mode mode, FrameSampler.Start start) throws Exception {
        byte[] bytes = Files.readAllBytes(SharedData.require("video/clips/mmaction2/test.avi"));
        Path cut = Files.write(tmp.resolve("cut.avi"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
        VideoPrepConfig cfg = new VideoPrepConfig("a.csv", AnnotationFormat.KINETICS_CSV, tmp.toString(), "c.txt", "out",
                new FrameSampler(8, 2, mode, start, 1, 0), G, ClipSchema.RAW, 90, null, 30, 42, false);
        VideoEntry e = new VideoEntry("cut", "x", 0, "train", "a.csv", 2, List.of(cut.toString()), false, -1);
        VideoResult r = new ClipExtractor(cfg).extract(e);
        assertEquals(VideoReject.TRUNCATED, r.reason(), r.detail());
        assertTrue(r.detail().contains("declares 164 frames"), r.detail());
    }
}
