package dev.trainyard.train.video;

import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.testing.SharedData;
import dev.trainyard.prep.video.AnnotationFormat;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.prep.video.FrameGeometry;
import dev.trainyard.prep.video.FrameSampler;
import dev.trainyard.prep.video.VideoDecoder;
import dev.trainyard.prep.video.VideoPrepConfig;
import dev.trainyard.prep.video.VideoPrepJob;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Video -> Parquet -> DL4J minibatch, pixel values checked against a frame decoded on its own. */
class ClipBatchesIT {
    private final SparkSession spark = LocalSpark.get();
    @TempDir
    Path tmp;

    @Test
    void aMinibatchHoldsTheNormalisedPixelsOfTheDecodedFrames() throws Exception {
        Path list = SharedData.require("video/kinetics_like/val_list_videos.txt");
        String root = SharedData.require("video/kinetics_like/videos/val").toString();
        String classes = SharedData.require("video/kinetics400_annotations/label_map_k400_deepmind.txt").toString();
        FrameGeometry g = new FrameGeometry(48, 40, 40);
        FrameSampler s = new FrameSampler(4, 8, FrameSampler.Mode.STRIDED, FrameSampler.Start.RANDOM, 1, 0);
        String out = tmp.resolve("clips").toString();
        VideoPrepJob.run(spark, new VideoPrepConfig(list.toString(), AnnotationFormat.MMACTION_VIDEOS, root, classes, out, s, g,
                ClipSchema.RAW, 90, "val", 30, 7, false));

        List<DataSet> batches = ClipBatches.read(spark, dev.trainyard.prep.video.ClipSchema.meta(new dev.trainyard.prep.common.Storage(spark.sparkContext().hadoopConfiguration()), out), "val", 8).collect();
        assertEquals(1, batches.size());
        DataSet ds = batches.get(0);
        assertArrayEquals(new long[]{1, 3, 4, 40, 40}, ds.getFeatures().shape());
        assertArrayEquals(new long[]{1, 400}, ds.getLabels().shape());
        assertEquals(6, ds.getLabels().argMax(1).getInt(0), "arm wrestling");

        Row clip = spark.read().parquet(out + "/v1/val").first();
        List<Integer> idx = clip.getList(clip.fieldIndex("frame_indices"));
        String path = clip.getString(clip.fieldIndex("source_path"));
        for (int t = 0; t < 4; t++) {
            byte[] ref = VideoDecoder.decode(path, Set.of(idx.get(t)), g).frames().get(idx.get(t));
            for (int[] yx : new int[][]{{0, 0}, {20, 13}, {39, 39}}) {
                for (int c = 0; c < 3; c++) {
                    float expected = ((ref[(yx[0] * 40 + yx[1]) * 3 + c] & 0xff) / 255f - ClipBatches.MEAN[c]) / ClipBatches.STD[c];
                    assertEquals(expected, ds.getFeatures().getFloat(0, c, t, yx[0], yx[1]), 1e-6,
                            "t=" + t + " y=" + yx[0] + " x=" + yx[1] + " c=" + c);
                }
            }
        }
    }
}
