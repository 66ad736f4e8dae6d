package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.JobContext;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.report.HtmlReport;
import dev.trainyard.train.ModelDir;
import dev.trainyard.train.video.ClipBatches;
import dev.trainyard.train.video.ClipExample;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    /** Training clips scored, at most, for the diagnosis' train error (a seeded sample of whole videos). */
    static final int DIAGNOSIS_TRAIN_VIDEOS = 2000;
    /** Splits that serve as dev, in order of preference. */
    private static final List<String> DEV_SPLITS = List.of("dev", "val", "validation");

    public static ObjectNode run(SparkSession spark, String modelDir, String data, String split, String output) {
        return run(spark, modelDir, data, split, null, output);
    }

    /** @param referenceError the diagnosis' reference (null: the majority class of the training videos) */
    public static ObjectNode run(SparkSession spark, String modelDir, String data, String split, Double referenceError, String output) {
        JobContext job = JobContext.start(spark);
        JavaSparkContext jsc = job.jsc();
        Storage storage = job.storage();
        ClipSchema.Meta meta = ClipSchema.meta(storage, data);
        int numClasses = meta.numClasses();
        ModelDir dir = new ModelDir(storage, modelDir);
        Broadcast<byte[]> model = jsc.broadcast(dev.trainyard.zoo.io.ModelFiles.toBytes(dir.readModel()));

        var rows = ClipSchema.read(spark, data, split);
        TreeMap<Integer, String> names = new TreeMap<>();
        for (Row r : rows.select(ClipSchema.LABEL_INDEX, ClipSchema.LABEL).distinct().collectAsList()) {
            names.put(r.getInt(0), r.getString(1));
        }
        List<String> classNames = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            classNames.add(names.getOrDefault(i, "class " + i));
        }
        List<ClipMetrics.ClipScore> scores = scoreClips(rows, model, numClasses);
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("split '" + split + "' of " + data + " has no clips");
        }
        ObjectNode eval = ClipMetrics.compute(scores, classNames);
        diagnosis(spark, storage, model, numClasses, classNames, data, split, eval, referenceError)
                .ifPresent(d -> eval.set("diagnosis", d));
        eval.put("model", modelDir);
        eval.put("data", data);
        eval.put("split", split);
        eval.put("evaluated_at", Instant.now().toString());
        eval.put("test_time_augmentation", "each temporal layer averages its dilations; a video averages its clips' probabilities");
        eval.put("seconds", job.seconds());
        storage.writeText(output, Json.write(eval));
        storage.writeText(HtmlReport.pathBeside(output), HtmlReport.renderClips(eval, dir.epochs(), dir.readJson(ModelDir.MANIFEST)));
        LOG.info(String.format("evaluate %s: %d clips, %d videos; clip top-1 %.3f top-5 %.3f; video top-1 %.3f top-5 %.3f (chance %.3f)",
                split, scores.size(), eval.path("video_level").path("videos").asInt(), eval.path("clip_level").path("top1").asDouble(),
                eval.path("clip_level").path("top5").asDouble(), eval.path("video_level").path("top1").asDouble(),
                eval.path("video_level").path("top5").asDouble(), 1.0 / numClasses));
        model.destroy();
        return eval;
    }

    private static List<ClipMetrics.ClipScore> scoreClips(Dataset<Row> rows, Broadcast<byte[]> model, int numClasses) {
        return rows.javaRDD().map(ClipBatches::toExample).mapPartitions(it -> score(it, model.value(), numClasses)).collect();
    }

    /**
     * Video top-1 error on the training split (up to {@link #DIAGNOSIS_TRAIN_VIDEOS} videos, seeded), on
     * a dev split when the data has one besides the reported split, and on the reported split; against
     * the reference. Empty when the data has no training split to compare with.
     */
    private static java.util.Optional<ObjectNode> diagnosis(SparkSession spark, Storage storage, Broadcast<byte[]> model, int numClasses,
                                                            List<String> classNames, String data, String split, ObjectNode eval,
                                                            Double referenceError) {
        String trainDir = DatasetMetadata.splitDir(data, ClipSchema.VERSION, "train");
        if ("train".equals(split) || !storage.exists(trainDir)) {
            LOG.info("no diagnosis: {} has no training split besides '{}'", data, split);
            return java.util.Optional.empty();
        }
        Dataset<Row> train = ClipSchema.read(spark, data, "train");
        Dataset<Row> videos = train.select(ClipSchema.VIDEO_ID).distinct();
        long n = videos.count();
        Dataset<Row> sampled = n <= DIAGNOSIS_TRAIN_VIDEOS ? train
                : train.join(videos.orderBy(org.apache.spark.sql.functions.xxhash64(org.apache.spark.sql.functions.col(ClipSchema.VIDEO_ID),
                        org.apache.spark.sql.functions.lit(42L))).limit(DIAGNOSIS_TRAIN_VIDEOS), ClipSchema.VIDEO_ID);
        double trainError = 1 - ClipMetrics.compute(scoreClips(sampled, model, numClasses), classNames)
                .path("video_level").path("top1").asDouble();
        double devError = Double.NaN;
        for (String dev : DEV_SPLITS) {
            String dir = DatasetMetadata.splitDir(data, ClipSchema.VERSION, dev);
            if (!dev.equals(split) && storage.exists(dir)) {
                devError = 1 - ClipMetrics.compute(scoreClips(ClipSchema.read(spark, data, dev), model, numClasses), classNames)
                        .path("video_level").path("top1").asDouble();
                break;
            }
        }
        double testError = 1 - eval.path("video_level").path("top1").asDouble();
        double reference = referenceError != null ? referenceError : majorityError(train, eval);
        ObjectNode d = Diagnosis.of(trainError, devError, testError, reference, referenceError != null ? "--reference-error"
                : "majority class of the training videos (no --reference-error given)");
        d.put("train_videos_scored", Math.min(n, DIAGNOSIS_TRAIN_VIDEOS));
        d.put("train_videos", n);
        return java.util.Optional.of(d);
    }

    /** Error on the reported videos of always predicting the training split's commonest class. */
    private static double majorityError(Dataset<Row> train, ObjectNode eval) {
        Row top = train.select(ClipSchema.VIDEO_ID, ClipSchema.LABEL_INDEX).distinct().groupBy(ClipSchema.LABEL_INDEX).count()
                .orderBy(org.apache.spark.sql.functions.desc("count"), org.apache.spark.sql.functions.asc(ClipSchema.LABEL_INDEX)).first();
        int majority = top.getInt(0);
        JsonNode perClass = eval.path("per_class");
        long videos = eval.path("video_level").path("videos").asLong();
        long ofMajority = 0;
        for (JsonNode c : perClass) {
            if (c.path("index").asInt(-1) == majority) {
                ofMajority = c.path("videos").asLong();
            }
        }
        return videos == 0 ? Double.NaN : 1 - (double) ofMajority / videos;
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

    private static ComputationGraph read(byte[] b) {
        return dev.trainyard.zoo.io.ModelFiles.readGraph(b, "the broadcast model", false);
    }
}
