package dev.trainyard.prep.video;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.testing.SharedData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoPrepJobIT {
    private static final FrameGeometry GEOMETRY = new FrameGeometry(64, 56, 56);
    private static final FrameSampler CENTRE_8x5 = new FrameSampler(8, 5, FrameSampler.Mode.STRIDED, FrameSampler.Start.CENTRE, 1, 0);
    private final SparkSession spark = LocalSpark.get();
    @TempDir
    Path tmp;

    /** A Kinetics-style layout of the real clips, plus one planted case of every bad input. */
    private Path layout() throws IOException {
        Path clips = SharedData.require("video/clips/mmaction2");
        Path root = Files.createDirectories(tmp.resolve("videos"));
        Files.createDirectories(root.resolve("arm wrestling"));
        Files.copy(clips.resolve("demo.mp4"), root.resolve("arm wrestling/AAAAAAAAAAA_000010_000020.mp4"));
        Files.copy(clips.resolve("test.mp4"), root.resolve("BBBBBBBBBBB_000000_000010.mp4"));
        Files.copy(clips.resolve("test.avi"), root.resolve("CCCCCCCCCCC_000005_000015.avi"));
        Files.copy(clips.resolve("rawvideo_dataset_part_0.mp4"), root.resolve("DDDDDDDDDDD_000000_000001.mp4"));
        Files.createFile(root.resolve("EEEEEEEEEEE_000000_000010.mp4"));
        Files.write(root.resolve("FFFFFFFFFFF_000000_000010.mp4"), new byte[8192]);
        byte[] full = Files.readAllBytes(clips.resolve("test.mp4"));
        Files.write(root.resolve("HHHHHHHHHHH_000000_000010.mp4"), java.util.Arrays.copyOf(full, full.length / 3));
        Path csv = tmp.resolve("annotations.csv");
        Files.writeString(csv, "label,youtube_id,time_start,time_end,split,is_cc\n"
                + "arm wrestling,AAAAAAAAAAA,10,20,val,0\n"
                + "abseiling,BBBBBBBBBBB,0,10,train,0\n"
                + "zumba,CCCCCCCCCCC,5,15,train,1\n"
                + "abseiling,DDDDDDDDDDD,0,1,train,0\n"
                + "abseiling,EEEEEEEEEEE,0,10,train,0\n"
                + "abseiling,FFFFFFFFFFF,0,10,train,0\n"
                + "abseiling,GGGGGGGGGGG,0,10,train,0\n"
                + "abseiling,HHHHHHHHHHH,0,10,train,0\n"
                + "not a kinetics class,IIIIIIIIIII,0,10,train,0\n");
        return csv;
    }

    private VideoPrepConfig config(Path csv, String out, FrameSampler sampler, String encoding) {
        String classes = SharedData.require("video/kinetics400_annotations/label_map_k400_deepmind.txt").toString();
        return new VideoPrepConfig(csv.toString(), AnnotationFormat.KINETICS_CSV, tmp.resolve("videos").toString(), classes, out,
                sampler, GEOMETRY, encoding, 90, null, 30, 42, false);
    }

    @Test
    void everyListedVideoBecomesClipsOrAQuarantineRowWithItsReason() throws Exception {
        Path csv = layout();
        String out = tmp.resolve("clips").toString();
        JsonNode s = VideoPrepJob.run(spark, config(csv, out, CENTRE_8x5, ClipSchema.RAW));

        assertEquals(9, s.path("videos_listed").asLong());
        assertEquals(3, s.path("videos_with_clips").asLong());
        assertEquals(6, s.path("videos_quarantined").asLong());
        assertEquals(Map.of("val", 1L, "train", 2L), Map.of("val", s.path("clips_by_split").path("val").asLong(),
                "train", s.path("clips_by_split").path("train").asLong()));
        Map<String, String> reasons = new HashMap<>();
        for (Row r : spark.read().parquet(out + "/quarantine").collectAsList()) {
            reasons.put(r.getString(3).substring(0, 11), r.getString(2));
        }
        assertEquals(VideoReject.TOO_SHORT, reasons.get("DDDDDDDDDDD"));
        assertEquals(VideoReject.EMPTY_FILE, reasons.get("EEEEEEEEEEE"));
        assertEquals(VideoReject.UNREADABLE, reasons.get("FFFFFFFFFFF"));
        assertEquals(VideoReject.MISSING_FILE, reasons.get("GGGGGGGGGGG"));
        assertTrue(Set.of(VideoReject.TRUNCATED, VideoReject.UNREADABLE).contains(reasons.get("HHHHHHHHHHH")), reasons.toString());
        assertEquals(VideoReject.UNKNOWN_LABEL, reasons.get("IIIIIIIIIII"));

        // the arm-wrestling clip: centre start of a 36-frame span in 280 frames, label index from the class list
        Row clip = spark.read().parquet(out + "/v1/val").first();
        assertEquals(6, clip.getInt(clip.fieldIndex("label_index")));
        List<Integer> idx = clip.getList(clip.fieldIndex("frame_indices"));
        assertEquals(List.of(122, 127, 132, 137, 142, 147, 152, 157), idx);
        assertEquals(28.0, clip.getDouble(clip.fieldIndex("source_fps")), 0.01);
        // pixels are exactly the decoder's for that frame
        byte[] stored = (byte[]) clip.getList(clip.fieldIndex("frames")).get(3);
        String path = clip.getString(clip.fieldIndex("source_path"));
        byte[] reference = VideoDecoder.decode(path, Set.of(idx.get(3)), GEOMETRY).frames().get(idx.get(3));
        assertArrayEquals(reference, stored);
    }

    @Test
    void jpegStorageIsSmallerAndKeepsThePicture() throws Exception {
        Path csv = layout();
        FrameSampler twoClips = new FrameSampler(8, 5, FrameSampler.Mode.STRIDED, FrameSampler.Start.CENTRE, 2, 0);
        JsonNode raw = VideoPrepJob.run(spark, config(csv, tmp.resolve("raw").toString(), twoClips, ClipSchema.RAW));
        JsonNode jpg = VideoPrepJob.run(spark, config(csv, tmp.resolve("jpg").toString(), twoClips, ClipSchema.JPEG));
        assertEquals(6, raw.path("clips_written").asLong(), "two clips from each of three good videos");
        assertEquals(8 * 56 * 56 * 3, raw.path("mean_bytes_per_clip").asDouble(), 1e-9);
        assertTrue(jpg.path("mean_bytes_per_clip").asDouble() < raw.path("mean_bytes_per_clip").asDouble() / 3,
                "jpeg " + jpg.path("mean_bytes_per_clip") + " vs raw " + raw.path("mean_bytes_per_clip"));
        Row r = spark.read().parquet(tmp.resolve("raw/v1/val").toString()).filter(col("clip_index").equalTo(1)).first();
        Row j = spark.read().parquet(tmp.resolve("jpg/v1/val").toString()).filter(col("clip_index").equalTo(1)).first();
        byte[] rawFrame = (byte[]) r.getList(r.fieldIndex("frames")).get(0);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                (byte[]) j.getList(j.fieldIndex("frames")).get(0)));
        double diff = 0;
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                int rgb = img.getRGB(x, y);
                int o = (y * 56 + x) * 3;
                diff += Math.abs(((rgb >> 16) & 0xff) - (rawFrame[o] & 0xff)) + Math.abs(((rgb >> 8) & 0xff) - (rawFrame[o + 1] & 0xff))
                        + Math.abs((rgb & 0xff) - (rawFrame[o + 2] & 0xff));
            }
        }
        assertTrue(diff / (56 * 56 * 3) < 6, "JPEG q90 mean |diff| " + diff / (56 * 56 * 3));
    }

    @Test
    void rawframesFoldersFromAnMmactionListBecomeClips() {
        Path list = SharedData.require("video/kinetics_like/val_list_rawframes.txt");
        String root = SharedData.require("video/kinetics_like/rawframes/val").toString();
        String classes = SharedData.require("video/kinetics400_annotations/label_map_k400_deepmind.txt").toString();
        FrameSampler uniform = new FrameSampler(8, 1, FrameSampler.Mode.UNIFORM, FrameSampler.Start.CENTRE, 1, 0);
        JsonNode s = VideoPrepJob.run(spark, new VideoPrepConfig(list.toString(), AnnotationFormat.MMACTION_RAWFRAMES, root, classes,
                tmp.resolve("frames").toString(), uniform, GEOMETRY, ClipSchema.RAW, 90, "val", 28, 1, false));
        assertEquals(1, s.path("videos_with_clips").asLong());
        Row clip = spark.read().parquet(tmp.resolve("frames/v1/val").toString()).first();
        assertEquals(List.of(17, 52, 87, 122, 157, 192, 227, 262), clip.getList(clip.fieldIndex("frame_indices")));
        assertEquals("arm wrestling", clip.getString(clip.fieldIndex("label")));
    }
}
