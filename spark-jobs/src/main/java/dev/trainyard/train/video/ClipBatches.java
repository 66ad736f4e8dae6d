package dev.trainyard.train.video;

import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.train.Batches;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Prepared clips as DL4J minibatches: features [N, 3, T, H, W] (NCDHW) float,
 * {@code (pixel / 255 - mean[c]) / std[c]} with ImageNet's mean and std (what ImageNet-initialised
 * networks such as an inflated ResNet expect); labels one-hot over the class list.
 */
public final class ClipBatches {
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private ClipBatches() {
    }

    /** Minibatches of a split, built on the executors. */
    public static JavaRDD<DataSet> read(SparkSession spark, ClipSchema.Meta meta, String split, int batchSize) {
        int numClasses = meta.numClasses();
        return ClipSchema.read(spark, meta.dataset(), split).javaRDD()
                .mapPartitions((Iterator<Row> rows) -> {
                    List<DataSet> out = new ArrayList<>();
                    List<Row> batch = new ArrayList<>(batchSize);
                    while (rows.hasNext()) {
                        batch.add(rows.next());
                        if (batch.size() == batchSize || !rows.hasNext()) {
                            out.add(toDataSet(batch, numClasses));
                            batch = new ArrayList<>(batchSize);
                        }
                    }
                    return out.iterator();
                });
    }

    /**
     * A split as {@link Batches} for training: clips in a seeded random order (by video and clip
     * index), cut into minibatches of {@code [N, 3, T, H, W]} features and one-hot labels.
     */
    public static Batches<ClipExample> load(SparkSession spark, ClipSchema.Meta meta, String split, int batchSize, int workers,
                                            int averagingFrequency, long seed) {
        int numClasses = meta.numClasses();
        Dataset<Row> df = ClipSchema.read(spark, meta.dataset(), split)
                .orderBy(xxhash64(col(ClipSchema.VIDEO_ID), col(ClipSchema.CLIP_INDEX), lit(seed)), col(ClipSchema.VIDEO_ID),
                        col(ClipSchema.CLIP_INDEX));
        JavaRDD<ClipExample> clips = df.javaRDD().map(ClipBatches::toExample);
        return Batches.fromOrdered(clips, batchSize, workers, averagingFrequency, b -> toMultiDataSet(b, numClasses));
    }

    public static ClipExample toExample(Row r) {
        ClipSchema.Clip c = ClipSchema.Clip.of(r);
        return new ClipExample(c.videoId(), c.clipIndex(), c.labelIndex(), c.encoding(), c.height(), c.width(), c.frames());
    }

    public static MultiDataSet toMultiDataSet(List<ClipExample> clips, int numClasses) {
        DataSet ds = toDataSetOf(clips, numClasses);
        return new org.nd4j.linalg.dataset.MultiDataSet(ds.getFeatures(), ds.getLabels());
    }

    public static DataSet toDataSet(List<Row> rows, int numClasses) {
        return toDataSetOf(rows.stream().map(ClipBatches::toExample).toList(), numClasses);
    }

    private static DataSet toDataSetOf(List<ClipExample> clips, int numClasses) {
        ClipExample first = clips.get(0);
        int t = first.frames().length;
        int h = first.height();
        int w = first.width();
        int n = clips.size();
        float[] x = new float[n * 3 * t * h * w];
        float[] y = new float[n * numClasses];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            ClipExample r = clips.get(i);
            boolean jpeg = ClipSchema.JPEG.equals(r.encoding());
            byte[][] frames = r.frames();
            if (frames.length != t || r.height() != h || r.width() != w) {
                throw new IllegalArgumentException("clip " + r.videoId() + "#" + r.clipIndex() + " is " + frames.length + " x "
                        + r.height() + " x " + r.width() + ", the batch's first clip " + t + " x " + h + " x " + w);
            }
            for (int f = 0; f < t; f++) {
                byte[] rgb = jpeg ? decodeJpeg(frames[f], h, w) : frames[f];
                for (int p = 0; p < plane; p++) {
                    for (int c = 0; c < 3; c++) {
                        x[(((i * 3 + c) * t + f) * plane) + p] = ((rgb[p * 3 + c] & 0xff) / 255f - MEAN[c]) / STD[c];
                    }
                }
            }
            y[i * numClasses + r.label()] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[]{n, 3, t, h, w}, 'c');
        INDArray labels = Nd4j.create(y, new long[]{n, numClasses}, 'c');
        return new DataSet(features, labels);
    }

    static byte[] decodeJpeg(byte[] jpeg, int h, int w) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
            byte[] rgb = new byte[h * w * 3];
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    int v = img.getRGB(xx, yy);
                    int o = (yy * w + xx) * 3;
                    rgb[o] = (byte) (v >> 16);
                    rgb[o + 1] = (byte) (v >> 8);
                    rgb[o + 2] = (byte) v;
                }
            }
            return rgb;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a JPEG frame", e);
        }
    }
}
