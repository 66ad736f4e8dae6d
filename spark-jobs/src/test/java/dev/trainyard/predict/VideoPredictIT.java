package dev.trainyard.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.video.AnnotationFormat;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.prep.video.FrameGeometry;
import dev.trainyard.prep.video.FrameSampler;
import dev.trainyard.prep.video.SyntheticVideoGenerator;
import dev.trainyard.prep.video.VideoPrepConfig;
import dev.trainyard.prep.video.VideoPrepJob;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.train.video.BesNetTrainConfig;
import dev.trainyard.train.video.BesNetTrainJob;
import dev.trainyard.zoo.besnet.BesNetSpec;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.trainyard.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** New videos are sampled as the model's training clips were, and a video's prediction averages its clips. */
class VideoPredictIT {
    @TempDir
    static Path tmp;
    private static Path videos;
    private static String clips;
    private static String model;

    @BeforeAll
    static void trainATinyBesNet() {
        videos = tmp.resolve("videos");
        SyntheticVideoGenerator.write(new SyntheticVideoGenerator.Config(videos, 2, 24, 25, 48, 48, false, 0.75, 5));
        clips = tmp.resolve("clips").toString();
        FrameSampler sampler = new FrameSampler(8, 2, FrameSampler.Mode.STRIDED, FrameSampler.Start.RANDOM, 2, 0);
        VideoPrepJob.run(LocalSpark.get(), new VideoPrepConfig(videos.resolve("annotations.csv").toString(), AnnotationFormat.KINETICS_CSV,
                videos.resolve("videos").toString(), videos.resolve("classes.txt").toString(), clips, sampler,
                new FrameGeometry(40, 40, 40), ClipSchema.JPEG, 90, null, 25, 1, false));
        model = tmp.resolve("besnet").toString();
        BesNetTrainJob.run(LocalSpark.get(), new BesNetTrainConfig(clips, model, BesNetSpec.tiny(10, 8, 40), null, "val",
                new TrainingConfig(TrainingConfig.Engine.LOCAL, 1, 8, 1, 1, 1, 7), false, false));
    }

    private static Map<String, Row> byVideo(String out) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : LocalSpark.get().read().parquet(out + "/" + PredictJob.PREDICTIONS).collectAsList()) {
            m.put(r.getString(r.fieldIndex("video_id")), r);
        }
        return m;
    }

    @Test
    void newVideosAreSampledAsTheTrainingClipsWere() throws Exception {
        String fromVideos = tmp.resolve("p-videos").toString();
        run(0, "predict", "--model", model, "--input", videos.resolve("annotations.csv").toString(), "--root",
                videos.resolve("videos").toString(), "--top-k", "3", "--output", fromVideos);
        String fromClips = tmp.resolve("p-clips").toString();
        run(0, "predict", "--model", model, "--input", clips, "--top-k", "3", "--output", fromClips);
        Schemas.assertWritten(PredictionSchemas.VIDEOS, fromVideos);
        Schemas.assertWritten(PredictionSchemas.VIDEOS, fromClips);
        Map<String, Row> a = byVideo(fromVideos);
        Map<String, Row> b = byVideo(fromClips);
        assertEquals(20, a.size(), "every listed video");
        assertEquals(a.keySet(), b.keySet());
        for (String id : a.keySet()) {
            Row x = a.get(id);
            Row y = b.get(id);
            assertEquals(2, x.getLong(x.fieldIndex("clips")), "the training data's 2 clips per video");
            assertEquals(y.getDouble(y.fieldIndex("probability")), x.getDouble(x.fieldIndex("probability")), 1e-5, id);
            List<Row> top = x.getList(x.fieldIndex("top_k"));
            if (top.get(0).getDouble(2) - top.get(1).getDouble(2) > 1e-4) { // a near tie may fall either way in float32
                assertEquals(y.getString(y.fieldIndex("predicted_label")), x.getString(x.fieldIndex("predicted_label")), id);
            }
            assertEquals(3, top.size());
            assertEquals(x.getInt(x.fieldIndex("prediction")), top.get(0).getInt(0));
            assertTrue(top.get(0).getDouble(2) >= top.get(1).getDouble(2) && top.get(1).getDouble(2) >= top.get(2).getDouble(2));
            assertEquals(x.getString(x.fieldIndex("label")), y.getString(y.fieldIndex("label")), "the list's labels travel along");
        }
        JsonNode s = Json.MAPPER.readTree(Path.of(fromVideos, PredictJob.SUMMARY).toFile());
        assertEquals(8, s.path("details").path("sampler").path("frames").asInt(), s.toString());
        assertEquals(40, s.path("details").path("geometry").path("height").asInt());
    }

    @Test
    void aFolderOfVideosIsPredictedAndAnUnreadableFileQuarantined() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("incoming"));
        try (Stream<Path> files = Files.walk(videos.resolve("videos"))) {
            for (Path mp4 : files.filter(p -> p.toString().endsWith(".mp4")).limit(3).toList()) {
                Files.copy(mp4, folder.resolve(mp4.getFileName()));
            }
        }
        Files.write(folder.resolve("broken.mp4"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        Files.writeString(folder.resolve("notes.txt"), "not a video");
        String out = tmp.resolve("p-folder").toString();
        run(0, "predict", "--model", model, "--input", folder.toString(), "--output", out);
        JsonNode s = Json.MAPPER.readTree(Path.of(out, PredictJob.SUMMARY).toFile());
        assertEquals(4, s.path("rows_read").asLong(), "videos listed (notes.txt is not one): " + s);
        assertEquals(3, s.path("rows_predicted").asLong(), s.toString());
        assertEquals(1, s.path("rows_quarantined").asLong(), s.toString());
        Row q = LocalSpark.get().read().parquet(out + "/" + PredictJob.QUARANTINE).first();
        assertTrue(q.getString(3).startsWith("broken: "), q.toString());
        for (Row r : byVideo(out).values()) {
            assertTrue(r.isNullAt(r.fieldIndex("label")), "files in a folder carry no label");
            assertEquals(5, r.<Row>getList(r.fieldIndex("top_k")).size(), "--top-k defaults to 5");
        }
    }
}
