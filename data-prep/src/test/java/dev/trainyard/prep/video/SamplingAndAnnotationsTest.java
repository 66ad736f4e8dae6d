package dev.trainyard.prep.video;

import dev.trainyard.prep.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplingAndAnnotationsTest {

    @Test
    void stridedClipsAreDeterministicPerVideoAndStayInside() throws Exception {
        FrameSampler s = new FrameSampler(8, 4, FrameSampler.Mode.STRIDED, FrameSampler.Start.RANDOM, 1, 0);
        long seed = FrameSampler.videoSeed(42, "abc_000001_000011");
        int[] a = s.sample(100, 30, seed).get(0);
        assertArrayEquals(a, s.sample(100, 30, seed).get(0));
        for (int i = 1; i < a.length; i++) {
            assertEquals(4, a[i] - a[i - 1]);
        }
        assertTrue(a[0] >= 0 && a[7] < 100);
        assertNotEquals(FrameSampler.videoSeed(42, "abc"), FrameSampler.videoSeed(43, "abc"));
        FrameSampler centre = new FrameSampler(8, 4, FrameSampler.Mode.STRIDED, FrameSampler.Start.CENTRE, 1, 0);
        assertEquals(35, centre.sample(100, 30, 0).get(0)[0], "(100 - 29) / 2");
    }

    @Test
    void uniformSpreadsOverTheVideoAndMultipleClipsSpreadTheirStarts() throws Exception {
        FrameSampler u = new FrameSampler(4, 1, FrameSampler.Mode.UNIFORM, FrameSampler.Start.CENTRE, 1, 0);
        assertArrayEquals(new int[]{12, 37, 62, 87}, u.sample(100, 25, 1).get(0));
        FrameSampler three = new FrameSampler(4, 2, FrameSampler.Mode.STRIDED, FrameSampler.Start.CENTRE, 3, 0);
        List<int[]> clips = three.sample(100, 25, 1);
        assertEquals(3, clips.size());
        assertTrue(clips.get(0)[0] < clips.get(1)[0] && clips.get(1)[0] < clips.get(2)[0]);
    }

    @Test
    void uniformSamplingWithSeveralClipsGivesDistinctClips() throws Exception {
        FrameSampler u = new FrameSampler(4, 1, FrameSampler.Mode.UNIFORM, FrameSampler.Start.CENTRE, 3, 0);
        List<int[]> clips = u.sample(100, 25, 1);
        for (int a = 0; a < clips.size(); a++) {
            for (int b = a + 1; b < clips.size(); b++) {
                assertTrue(!java.util.Arrays.equals(clips.get(a), clips.get(b)), "clips " + a + " and " + b + " differ");
            }
        }
        assertArrayEquals(new int[]{12, 37, 62, 87}, clips.get(1), "the middle clip takes the segments' centres");
    }

    @Test
    void resamplingToATargetFpsMapsBackToSourceFrames() throws Exception {
        // 30 fps source at 15 fps target: consecutive target frames are 2 source frames apart
        FrameSampler s = new FrameSampler(4, 1, FrameSampler.Mode.STRIDED, FrameSampler.Start.CENTRE, 1, 15);
        int[] idx = s.sample(300, 30, 0).get(0);
        for (int i = 1; i < idx.length; i++) {
            assertEquals(2, idx[i] - idx[i - 1]);
        }
    }

    @Test
    void aVideoShorterThanAClipIsTooShort() {
        FrameSampler s = new FrameSampler(16, 4, FrameSampler.Mode.STRIDED, FrameSampler.Start.CENTRE, 1, 0);
        assertThrows(FrameSampler.TooShortException.class, () -> s.sample(32, 30, 0));
    }

    @Test
    void theRealKineticsValidationCsvParsesEveryRowIntoTheFourHundredClasses() {
        Path csv = SharedData.require("video/kinetics400_annotations/kinetics-400_val.csv");
        ClassList classes = ClassList.read(SharedData.require("video/kinetics400_annotations/label_map_k400_deepmind.txt"));
        assertEquals(400, classes.size());
        assertEquals(6, classes.indexOf("arm wrestling"));
        assertEquals(6, classes.indexOf("arm_wrestling"));
        Annotations.Parsed p = Annotations.parse(csv, AnnotationFormat.KINETICS_CSV, "/videos", classes, null);
        assertEquals(19906, p.rows());
        assertEquals(19906, p.entries().size());
        assertEquals(0, p.rejected().size());
        Map<Integer, Integer> perClass = new HashMap<>();
        p.entries().forEach(e -> perClass.merge(e.labelIndex(), 1, Integer::sum));
        assertEquals(400, perClass.size());
        VideoEntry first = p.entries().get(0);
        assertEquals("0wR5jVB-WPk_000417_000427", first.videoId());
        assertEquals("abseiling", first.label());
        assertEquals("val", first.split());
        assertTrue(first.candidates().contains("/videos/0wR5jVB-WPk_000417_000427.mp4"));
        assertTrue(first.candidates().contains("/videos/abseiling/0wR5jVB-WPk_000417_000427.mp4"));
    }

    @Test
    void mmactionListsAndBadRowsParse() throws Exception {
        Path list = SharedData.require("video/kinetics_like/val_list_rawframes.txt");
        ClassList classes = ClassList.read(SharedData.require("video/kinetics400_annotations/label_map_k400_deepmind.txt"));
        Annotations.Parsed p = Annotations.parse(list, AnnotationFormat.MMACTION_RAWFRAMES, "/root", classes, "val");
        assertEquals(1, p.entries().size());
        assertEquals(280, p.entries().get(0).listedFrames());
        assertEquals("arm wrestling", p.entries().get(0).label());

        Path bad = java.nio.file.Files.createTempFile("ann", ".csv");
        java.nio.file.Files.writeString(bad, "label,youtube_id,time_start,time_end,split,is_cc\n"
                + "not a real class,abc,1,11,val,0\nabseiling,xyz,one,11,val,0\nabseiling,qq,1,11\n");
        Annotations.Parsed b = Annotations.parse(bad, AnnotationFormat.KINETICS_CSV, "/v", classes, null);
        assertEquals(3, b.rows());
        assertEquals(List.of(VideoReject.UNKNOWN_LABEL, VideoReject.BAD_ANNOTATION, VideoReject.BAD_ANNOTATION),
                b.rejected().stream().map(Annotations.Rejected::reason).toList());
        assertEquals(List.of(2L, 3L, 4L), b.rejected().stream().map(Annotations.Rejected::row).toList());
    }
}
