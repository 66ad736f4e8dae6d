package dev.trainyard.prep.video;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.testing.MiniHdfs;
import dev.trainyard.prep.testing.SharedData;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Videos, annotations, class list and output all on a real HDFS (MiniDFSCluster). */
class VideoPrepHdfsIT {
    @TempDir
    Path tmp;

    @Test
    void prepReadsVideosFromHdfsAndWritesClipsThere() throws Exception {
        Path clips = SharedData.require("video/clips/mmaction2");
        Path classes = SharedData.require("video/kinetics400_annotations/label_map_k400_deepmind.txt");
        try (MiniHdfs hdfs = new MiniHdfs(tmp.resolve("hdfs"))) {
            FileSystem fs = hdfs.fs();
            String base = hdfs.uri() + "/kinetics";
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(clips.resolve("demo.mp4").toString()),
                    new org.apache.hadoop.fs.Path(base + "/videos/arm wrestling/AAAAAAAAAAA_000010_000020.mp4"));
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(classes.toString()), new org.apache.hadoop.fs.Path(base + "/classes.txt"));
            try (var out = fs.create(new org.apache.hadoop.fs.Path(base + "/val.csv"))) {
                out.write(("label,youtube_id,time_start,time_end,split\narm wrestling,AAAAAAAAAAA,10,20,val\n"
                        + "arm wrestling,BBBBBBBBBBB,0,10,val\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            SparkSession spark = LocalSpark.get();
            FrameSampler s = new FrameSampler(8, 4, FrameSampler.Mode.STRIDED, FrameSampler.Start.CENTRE, 1, 0);
            JsonNode summary = VideoPrepJob.run(spark, new VideoPrepConfig(base + "/val.csv", AnnotationFormat.KINETICS_CSV,
                    base + "/videos", base + "/classes.txt", base + "/clips", s, new FrameGeometry(64, 56, 56), ClipSchema.RAW, 90,
                    null, 30, 1, false));
            assertEquals(2, summary.path("videos_listed").asLong());
            assertEquals(1, summary.path("videos_with_clips").asLong());
            assertEquals(1, summary.path("quarantined_by_reason").path(VideoReject.MISSING_FILE).asLong());
            Row clip = spark.read().parquet(base + "/clips/v1/val").first();
            assertEquals(List.of(125, 129, 133, 137, 141, 145, 149, 153), clip.getList(clip.fieldIndex("frame_indices")));
            assertEquals(true, fs.exists(new org.apache.hadoop.fs.Path(base + "/clips/prep-summary.json")));
        }
    }
}
