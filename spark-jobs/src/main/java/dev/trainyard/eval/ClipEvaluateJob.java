package dev.trainyard.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.SparkProgress;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.report.HtmlReport;
import dev.trainyard.train.ModelDir;
import dev.trainyard.train.video.ClipBatches;
import dev.trainyard.train.video.ClipExample;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * Evaluates a clip classifier (BesNet) on a split: the model is broadcast, every clip is scored on
 * the executors in inference mode (each temporal layer averages its dilations), and the driver
 * combines clips into videos ({@link ClipMetrics}). Writes FILE.json and FILE.html.
 */
public final class ClipEvaluateJob {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.evaluate");
    private static final int BATCH = 8;

    private ClipEvaluateJob() {
    }

    public static ObjectNode run(SparkSession spark, String modelDir, String data, String split, String output) {
        long t0 = System.nanoTime();
        SparkProgress.register(spark.sparkContext());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Storage storage = new Storage(jsc.hadoopConfiguration());
        int numClasses = DatasetMetadata.require(storage, data, ClipSchema.DATASET_KIND, ClipSchema.VERSION)
                .path("details").path("num_classes").asInt();
        ModelDir dir = new ModelDir(Path.of(modelDir));
        Broadcast<byte[]> model = jsc.broadcast(bytes(dir.readModel()));

        var rows = spark.read().parquet(DatasetMetadata.splitDir(data, ClipSchema.VERSION, split));
        TreeMap<Integer, String> names = new TreeMap<>();
        for (Row r : rows.select("label_index", "label").distinct().collectAsList()) {
            names.put(r.getInt(0), r.getString(1));
        }
        List<String> classNames = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            classNames.add(names.getOrDefault(i, "class " + i));
        }
        List<ClipMetrics.ClipScore> scores = rows.javaRDD().map(ClipBatches::toExample)
                .mapPartitions(it -> score(it, model.value(), numClasses)).collect();
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("split '" + split + "' of " + data + " has no clips");
        }
        ObjectNode eval = ClipMetrics.compute(scores, classNames);
        eval.put("model", modelDir);
        eval.put("data", data);
        eval.put("split", split);
        eval.put("evaluated_at", Instant.now().toString());
        eval.put("test_time_augmentation", "each temporal layer averages its dilations; a video averages its clips' probabilities");
        eval.put("seconds", (System.nanoTime() - t0) / 1e9);
        storage.writeText(output, Json.write(eval));
        storage.writeText(HtmlReport.pathBeside(output), HtmlReport.renderClips(eval, dir.epochs(), dir.readJson(ModelDir.MANIFEST)));
        LOG.info(String.format("evaluate %s: %d clips, %d videos; clip top-1 %.3f top-5 %.3f; video top-1 %.3f top-5 %.3f (chance %.3f)",
                split, scores.size(), eval.path("video_level").path("videos").asInt(), eval.path("clip_level").path("top1").asDouble(),
                eval.path("clip_level").path("top5").asDouble(), eval.path("video_level").path("top1").asDouble(),
                eval.path("video_level").path("top5").asDouble(), 1.0 / numClasses));
        model.destroy();
        return eval;
    }

    private static Iterator<ClipMetrics.ClipScore> score(Iterator<ClipExample> clips, byte[] modelBytes, int numClasses) {
        ComputationGraph net = read(modelBytes);
        List<ClipMetrics.ClipScore> out = new ArrayList<>();
        List<ClipExample> batch = new ArrayList<>();
        while (clips.hasNext()) {
            batch.add(clips.next());
            if (batch.size() == BATCH || !clips.hasNext()) {
                INDArray probs = net.outputSingle(false, ClipBatches.toMultiDataSet(batch, numClasses).getFeatures(0));
                for (int i = 0; i < batch.size(); i++) {
                    out.add(new ClipMetrics.ClipScore(batch.get(i).videoId(), batch.get(i).label(), probs.getRow(i).toFloatVector()));
                }
                batch.clear();
            }
        }
        return out.iterator();
    }

    private static byte[] bytes(ComputationGraph net) {
        try (ByteArrayOutputStream b = new ByteArrayOutputStream()) {
            ModelSerializer.writeModel(net, b, false);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ComputationGraph read(byte[] b) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(b), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the broadcast model", e);
        }
    }
}
