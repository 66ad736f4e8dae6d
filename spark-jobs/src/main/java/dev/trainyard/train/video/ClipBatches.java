package dev.trainyard.train.video;

import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.video.ClipSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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

    /** Minibatches of a split, built on the executors; checks the dataset's kind and schema version first. */
    public static JavaRDD<DataSet> read(SparkSession spark, String dataset, String split, int batchSize) {
        var meta = DatasetMetadata.require(new Storage(spark.sparkContext().hadoopConfiguration()), dataset,
                ClipSchema.DATASET_KIND, ClipSchema.VERSION);
        int numClasses = meta.path("details").path("num_classes").asInt();
        return spark.read().parquet(DatasetMetadata.splitDir(dataset, ClipSchema.VERSION, split)).javaRDD()
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

    public static DataSet toDataSet(List<Row> rows, int numClasses) {
        Row first = rows.get(0);
        int t = first.getList(first.fieldIndex("frames")).size();
        int h = first.getInt(first.fieldIndex("height"));
        int w = first.getInt(first.fieldIndex("width"));
        int n = rows.size();
        float[] x = new float[n * 3 * t * h * w];
        float[] y = new float[n * numClasses];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            boolean jpeg = ClipSchema.JPEG.equals(r.getString(r.fieldIndex("encoding")));
            List<byte[]> frames = r.getList(r.fieldIndex("frames"));
            if (frames.size() != t || r.getInt(r.fieldIndex("height")) != h || r.getInt(r.fieldIndex("width")) != w) {
                throw new IllegalArgumentException("clip " + r.getString(r.fieldIndex("video_id")) + " has another shape than the batch's first clip");
            }
            for (int f = 0; f < t; f++) {
                byte[] rgb = jpeg ? decodeJpeg(frames.get(f), h, w) : frames.get(f);
                for (int p = 0; p < plane; p++) {
                    for (int c = 0; c < 3; c++) {
                        x[(((i * 3 + c) * t + f) * plane) + p] = ((rgb[p * 3 + c] & 0xff) / 255f - MEAN[c]) / STD[c];
                    }
                }
            }
            y[i * numClasses + r.getInt(r.fieldIndex("label_index"))] = 1f;
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
