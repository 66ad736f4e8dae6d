package dev.trainyard.prep.video;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every path read from an annotation file stays inside --root unless the user allows otherwise. */
class RootContainmentTest {
    private static final ClassList CLASSES = ClassList.parse("classes.txt", List.of("abseiling", "archery"));
    @TempDir
    Path tmp;

    @Test
    void kineticsIdsAndMmactionPathsEscapingTheRootAreQuarantinedOutsideRoot() {
        Annotations.Parsed k = Annotations.parse("ann.csv", List.of("label,youtube_id,time_start,time_end,split",
                "abseiling,../outside/evil,1,11,train", "archery,fine_id,1,11,train"), AnnotationFormat.KINETICS_CSV, "/data/videos",
                CLASSES, null);
        assertEquals(List.of(VideoReject.OUTSIDE_ROOT), k.rejected().stream().map(Annotations.Rejected::reason).toList());
        assertEquals(2L, k.rejected().get(0).row());
        assertTrue(k.rejected().get(0).detail().contains("--root /data/videos"), k.rejected().get(0).detail());
        assertEquals(1, k.entries().size());

        List<String> mm = List.of("../../../../etc/passwd 0", "/etc/passwd 1", "class/ok.mp4 1");
        Annotations.Parsed m = Annotations.parse("list.txt", mm, AnnotationFormat.MMACTION_VIDEOS, "/data/videos", CLASSES, null);
        assertEquals(List.of(VideoReject.OUTSIDE_ROOT, VideoReject.OUTSIDE_ROOT),
                m.rejected().stream().map(Annotations.Rejected::reason).toList());
        assertEquals(List.of("/data/videos/class/ok.mp4"), m.entries().get(0).candidates());

        Annotations.Parsed allowed = Annotations.parse("list.txt", mm, AnnotationFormat.MMACTION_VIDEOS, "/data/videos", CLASSES,
                null, true);
        assertEquals(3, allowed.entries().size(), "--allow-outside-root reads listed absolute paths as they are");
        assertEquals(List.of("/etc/passwd"), allowed.entries().get(1).candidates());
    }

    @Test
    void aSymbolicLinkInsideTheRootToAFileOutsideIsOutside() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path secret = Files.writeString(tmp.resolve("secret.mp4"), "x");
        Path link = Files.createSymbolicLink(root.resolve("clip.mp4"), secret);
        Path real = Files.writeString(root.resolve("real.mp4"), "y");
        assertTrue(RootContainment.textInside(root.toString(), link.toString()), "by its text the link is inside");
        assertFalse(RootContainment.realInside(root.toString(), link.toString()));
        assertTrue(RootContainment.realInside(root.toString(), real.toString()));
    }

    @Test
    void aByteOrderMarkBeforeTheKineticsHeaderIsPartOfNoRow() {
        Annotations.Parsed p = Annotations.parse("ann.csv", List.of("\uFEFFlabel,youtube_id,time_start,time_end,split",
                "archery,a,1,11,train"), AnnotationFormat.KINETICS_CSV, "/v", CLASSES, null);
        assertEquals(1, p.rows());
        assertEquals(0, p.rejected().size());
    }
}
