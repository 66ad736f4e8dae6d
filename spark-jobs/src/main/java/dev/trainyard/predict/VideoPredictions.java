package dev.trainyard.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.ml.ClipModel;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.QuarantineSchema;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.video.AnnotationFormat;
import dev.trainyard.prep.video.Annotations;
import dev.trainyard.prep.video.ClassList;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.prep.video.FrameGeometry;
import dev.trainyard.prep.video.FrameSampler;
import dev.trainyard.prep.video.VideoClips;
import dev.trainyard.prep.video.VideoEntry;
import dev.trainyard.prep.video.VideoPrepConfig;
import dev.trainyard.train.ModelDir;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

/**
 * Videos to predict: a folder of video files, an annotation list with {@code --root}, or a {@code prep video}
 * output. New videos are sampled and resized exactly as the model's training clips were (frames, stride, clips per
 * video, size and encoding, from its training data's record); a video's prediction averages its clips'
 * probabilities, as evaluation does.
 */
final class VideoPredictions {
    static final StructType TOP_CLASS = new StructType()
            .add("class_index", DataTypes.IntegerType, false)
            .add("label", DataTypes.StringType, false)
            .add("probability", DataTypes.DoubleType, false);
    static final StructType OUTPUT = new StructType()
            .add("video_id", DataTypes.StringType, false)
            .add("source_path", DataTypes.StringType, true)
            .add("label", DataTypes.StringType, true)
            .add("clips", DataTypes.LongType, false)
            .add("prediction", DataTypes.IntegerType, false)
            .add("predicted_label", DataTypes.StringType, false)
            .add("probability", DataTypes.DoubleType, false)
            .add("top_k", DataTypes.createArrayType(TOP_CLASS, false), false);

    private VideoPredictions() {
    }

    static Prediction predict(SparkSession spark, Storage storage, ClipModel model, PredictConfig cfg) {
        ClipModel.Shape shape = model.shape();
        ObjectNode details = Json.object();
        details.set("clip_shape", Json.MAPPER.valueToTree(shape));
        details.put("top_k", cfg.topK());
        Dataset<Row> clips;
        Dataset<Row> rejected;
        long read;
        Map<String, Long> perReason = new TreeMap<>();
        String input = cfg.inputs().get(0);
        if (cfg.inputs().size() != 1) {
            throw new IllegalArgumentException("--input: one folder of videos, annotation list or prepared clip dataset, got "
                    + cfg.inputs().size());
        }
        if (Prediction.isDataset(storage, input)) {
            ClipSchema.Meta meta = ClipSchema.meta(storage, input);
            if (meta.framesPerClip() != shape.frames() || meta.height() != shape.height() || meta.width() != shape.width()) {
                throw new IllegalArgumentException(input + " holds clips of " + meta.framesPerClip() + " x " + meta.height() + " x "
                        + meta.width() + "; the model reads " + shape.frames() + " x " + shape.height() + " x " + shape.width()
                        + ": predict on the videos themselves, which are then sampled as the model's training data was");
            }
            Dataset<Row> all = null;
            for (String split : meta.clipsBySplit().keySet()) {
                Dataset<Row> s = ClipSchema.read(spark, input, split);
                all = all == null ? s : all.unionByName(s);
            }
            if (all == null) {
                throw new IllegalArgumentException(input + " has no clips to predict");
            }
            clips = all;
            rejected = spark.createDataFrame(List.of(), QuarantineSchema.STRUCT);
            read = clips.select(ClipSchema.VIDEO_ID).distinct().count();
            details.put("input", "clip dataset " + input);
        } else {
            VideoPrepConfig sampling = samplingOf(model.source().modelDir(storage).readJson(ModelDir.MANIFEST), input,
                    cfg.root() != null ? cfg.root() : input, cfg.output());
            List<VideoEntry> entries;
            List<Row> listRejects = new ArrayList<>();
            long listed;
            if (isDirectory(storage, input)) {
                entries = VideoClips.folder(storage, input);
                listed = entries.size();
                details.put("input", "video files in " + input);
            } else {
                if (cfg.root() == null) {
                    throw new IllegalArgumentException("--root: where the videos " + input + " lists are");
                }
                Annotations.Parsed parsed = Annotations.parse(input, List.of(storage.readText(input).split("\\r?\\n", -1)),
                        cfg.videoFormat(), Storage.stripSlash(cfg.root()), new ClassList(shape.classNames()), "predict", false);
                entries = parsed.entries();
                parsed.rejected().forEach(r -> listRejects.add(RowFactory.create(r.file(), r.row(), r.reason(),
                        (r.videoId() == null ? "" : r.videoId() + ": ") + r.detail(), null)));
                listed = parsed.rows();
                details.put("input", cfg.videoFormat().cliName() + " list " + input);
            }
            if (entries.isEmpty() && listRejects.isEmpty()) {
                throw new IllegalArgumentException(input + " lists no videos (video files end in " + VideoClips.VIDEO_EXTENSIONS + ")");
            }
            VideoClips.Decoded decoded = VideoClips.decode(spark, entries, sampling);
            clips = decoded.clips();
            rejected = decoded.quarantine().unionByName(spark.createDataFrame(listRejects, QuarantineSchema.STRUCT));
            read = listed;
            details.set("sampler", Json.MAPPER.valueToTree(sampling.sampler()));
            details.set("geometry", Json.MAPPER.valueToTree(sampling.geometry()));
        }
        List<String> names = shape.classNames();
        int k = Math.min(cfg.topK(), names.size());
        Dataset<Row> perVideo = model.transform(PredictJob.spread(spark, clips)
                        .select(col(ClipSchema.VIDEO_ID), col(ClipSchema.SOURCE_PATH), col(ClipSchema.LABEL), col(ClipSchema.FRAMES)))
                .groupBy(col(ClipSchema.VIDEO_ID), col(ClipSchema.SOURCE_PATH), col(ClipSchema.LABEL))
                .agg(collect_list(col(model.getProbabilityCol())).as("clip_probabilities"), count(lit(1)).as("clips"))
                .map((MapFunction<Row, Row>) r -> video(r, names, k), Encoders.row(OUTPUT));
        return new Prediction(perVideo, rejected, "videos", read, perReason, details, () -> { });
    }

    private static boolean isDirectory(Storage storage, String path) {
        try {
            return storage.fs(path).getFileStatus(new org.apache.hadoop.fs.Path(path)).isDirectory();
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("--input " + path + " does not exist");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + path, e);
        }
    }

    /** One video's row: its clips' probabilities averaged, the top {@code k} classes. */
    private static Row video(Row r, List<String> names, int k) {
        List<Object> perClip = r.getList(3);
        double[] mean = new double[names.size()];
        int scored = 0;
        for (Object o : perClip) {
            if (o == null) {
                continue;
            }
            for (int c = 0; c < mean.length; c++) {
                Object v = o instanceof List<?> l ? l.get(c) : ((scala.collection.Seq<?>) o).apply(c);
                mean[c] += ((Number) v).doubleValue();
            }
            scored++;
        }
        for (int c = 0; c < mean.length; c++) {
            mean[c] /= Math.max(1, scored);
        }
        Integer[] order = new Integer[mean.length];
        for (int c = 0; c < order.length; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> Double.compare(mean[b], mean[a]));
        List<Row> top = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            top.add(RowFactory.create(order[i], names.get(order[i]), mean[order[i]]));
        }
        String label = r.isNullAt(2) || r.getString(2).isEmpty() ? null : r.getString(2);
        return RowFactory.create(r.getString(0), r.getString(1), label, r.getLong(4), order[0], names.get(order[0]), mean[order[0]],
                top.toArray(Row[]::new));
    }

    /** How the model's training clips were made, from its manifest's record of its data; refuses data prepared without it. */
    static VideoPrepConfig samplingOf(JsonNode manifest, String input, String root, String output) {
        JsonNode d = manifest.path("data").path("details");
        if (!d.has("sampler") || !d.has("geometry")) {
            throw new IllegalArgumentException("the model's training data (" + manifest.path("data").path("path").asText()
                    + ") does not record how its clips were sampled; prepare it again with this Trainyard and retrain, "
                    + "or predict on clips prepared the same way (a prep video output)");
        }
        FrameSampler sampler = Json.MAPPER.convertValue(d.path("sampler"), FrameSampler.class);
        FrameGeometry geometry = Json.MAPPER.convertValue(d.path("geometry"), FrameGeometry.class);
        return new VideoPrepConfig(input, AnnotationFormat.KINETICS_CSV, root, "(the model's classes)", output, sampler, geometry,
                d.path("encoding").asText(ClipSchema.JPEG), d.path("jpeg_quality").asInt(90), "predict", d.path("folder_fps").asDouble(25),
                d.path("seed").asLong(42), false, false);
    }
}
