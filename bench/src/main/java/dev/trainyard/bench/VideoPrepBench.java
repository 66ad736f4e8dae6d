package dev.trainyard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.video.AnnotationFormat;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.prep.video.FrameGeometry;
import dev.trainyard.prep.video.FrameSampler;
import dev.trainyard.prep.video.VideoPrepConfig;
import dev.trainyard.prep.video.VideoPrepJob;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Video prep throughput against the ffmpeg command-line decoder on the same files: Trainyard's
 * job (decode only the needed frames + resize + crop + encode + write Parquet) in frames per second
 * of source video, and ffmpeg's decode-only rate ({@code ffmpeg -threads 1 -i X -f null -}) with
 * as many processes at once as this machine has cores. Also bytes per clip for raw and JPEG frames.
 */
public final class VideoPrepBench {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.bench");

    private VideoPrepBench() {
    }

    public record Config(List<Path> videos, int copies, FrameSampler sampler, FrameGeometry geometry, Path workDir, String ffmpeg,
                         String classes) {
    }

    public static ObjectNode run(SparkSession spark, Config cfg) throws IOException, InterruptedException {
        Path root = Files.createDirectories(cfg.workDir().resolve("videos"));
        List<Path> files = new ArrayList<>();
        StringBuilder list = new StringBuilder();
        for (int c = 0; c < cfg.copies(); c++) {
            for (Path v : cfg.videos()) {
                String name = "copy" + c + "_" + v.getFileName();
                Path target = root.resolve(name);
                if (!Files.exists(target)) {
                    Files.copy(v, target);
                }
                files.add(target);
                list.append(name).append(" 0\n");
            }
        }
        Path listFile = cfg.workDir().resolve("videos.txt");
        Files.writeString(listFile, list.toString());
        ObjectNode out = Json.object();
        out.put("bench", "video prep throughput");
        out.set("machine", Machine.describe());
        out.put("run_at", Instant.now().toString());
        out.put("videos", files.size());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("spark_master", spark.sparkContext().master());
        out.set("sampler", Json.MAPPER.valueToTree(cfg.sampler()));
        out.set("geometry", Json.MAPPER.valueToTree(cfg.geometry()));
        ArrayNode runs = out.putArray("trainyard");
        long sourceFrames = 0;
        // the first pass warms the JIT and loads FFmpeg's natives; it is not reported
        List<String> passes = List.of("warm-up", ClipSchema.RAW, ClipSchema.JPEG);
        for (String pass : passes) {
            String encoding = pass.equals("warm-up") ? ClipSchema.RAW : pass;
            String dataset = cfg.workDir().resolve("clips-" + pass).toString();
            VideoPrepConfig pc = new VideoPrepConfig(listFile.toString(), AnnotationFormat.MMACTION_VIDEOS, root.toString(), cfg.classes(),
                    dataset, cfg.sampler(), cfg.geometry(), encoding, 90, "bench", 30, 42, true);
            ObjectNode s = VideoPrepJob.run(spark, pc);
            if (pass.equals("warm-up")) {
                continue;
            }
            sourceFrames = spark.read().parquet(dataset + "/v1/bench").filter("clip_index = 0")
                    .selectExpr("sum(source_frames)").first().getLong(0);
            ObjectNode r = runs.addObject();
            r.put("encoding", encoding);
            r.put("seconds", s.path("seconds").asDouble());
            r.put("clips", s.path("clips_written").asLong());
            r.put("frames_written", s.path("frames_written").asLong());
            r.put("frames_written_per_second", s.path("frames_per_second").asDouble());
            r.put("source_frames", sourceFrames);
            r.put("source_frames_per_second", sourceFrames / s.path("seconds").asDouble());
            r.put("mean_bytes_per_clip", s.path("mean_bytes_per_clip").asDouble());
            LOG.info(String.format("trainyard prep video (%s): %.0f source frames/s, %.0f frames written/s, %.0f bytes/clip",
                    encoding, r.path("source_frames_per_second").asDouble(), r.path("frames_written_per_second").asDouble(),
                    r.path("mean_bytes_per_clip").asDouble()));
        }
        out.set("ffmpeg_cli", ffmpeg(cfg.ffmpeg(), files, sourceFrames));
        if (out.path("ffmpeg_cli").has("source_frames_per_second")) {
            double base = out.path("ffmpeg_cli").path("source_frames_per_second").asDouble();
            for (var r : runs) {
                ((ObjectNode) r).put("ratio_to_ffmpeg_cli_decode", r.path("source_frames_per_second").asDouble() / base);
            }
        }
        return out;
    }

    /** ffmpeg decode-only over the same files, one process per core at a time. */
    private static ObjectNode ffmpeg(String binary, List<Path> files, long sourceFrames) throws InterruptedException {
        ObjectNode b = Json.object();
        int procs = Runtime.getRuntime().availableProcessors();
        b.put("command", binary + " -v error -threads 1 -i VIDEO -f null -");
        b.put("parallel_processes", procs);
        try {
            new ProcessBuilder(binary, "-version").redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            b.put("not_measured", "ffmpeg CLI not found (" + binary + "); install Debian's ffmpeg package to measure the baseline");
            return b;
        }
        ExecutorService pool = Executors.newFixedThreadPool(procs);
        long t0 = System.nanoTime();
        List<Future<Integer>> codes = new ArrayList<>();
        for (Path f : files) {
            codes.add(pool.submit(() -> new ProcessBuilder(binary, "-v", "error", "-threads", "1", "-i", f.toString(), "-f", "null", "-")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor()));
        }
        int failed = 0;
        for (Future<Integer> c : codes) {
            try {
                failed += c.get() == 0 ? 0 : 1;
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
            }
        }
        pool.shutdown();
        double secs = (System.nanoTime() - t0) / 1e9;
        b.put("seconds", secs);
        b.put("failed", failed);
        b.put("source_frames", sourceFrames);
        b.put("source_frames_per_second", sourceFrames / secs);
        LOG.info(String.format("ffmpeg CLI decode only, %d processes: %.0f frames/s", procs, sourceFrames / secs));
        return b;
    }

    public static List<Path> listVideos(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().matches(".*\\.(mp4|avi|mkv|webm)$")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
