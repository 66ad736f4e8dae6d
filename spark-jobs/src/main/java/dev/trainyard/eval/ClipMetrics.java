package dev.trainyard.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-class clip metrics: top-1 and top-5 accuracy per clip and per video (the mean of the class
 * probabilities of a video's clips, as mmaction2's multi-clip testing), per-class accuracy and the
 * video-level confusion matrix, beside chance and the majority-class baseline.
 */
public final class ClipMetrics {
    private ClipMetrics() {
    }

    /** One clip's class probabilities (the network averages its temporal dilations itself). */
    public record ClipScore(String videoId, int label, float[] probabilities) implements Serializable {
    }

    public static ObjectNode compute(List<ClipScore> clips, List<String> classNames) {
        int k = classNames.size();
        Map<String, double[]> videoSum = new LinkedHashMap<>();
        Map<String, Integer> videoLabel = new LinkedHashMap<>();
        Map<String, Integer> videoClips = new LinkedHashMap<>();
        long clipTop1 = 0;
        long clipTop5 = 0;
        for (ClipScore c : clips) {
            if (c.probabilities().length != k) {
                throw new IllegalArgumentException("clip of video " + c.videoId() + " has " + c.probabilities().length
                        + " class scores, the dataset has " + k + " classes");
            }
            int rank = rankOfLabel(toDouble(c.probabilities()), c.label());
            clipTop1 += rank < 1 ? 1 : 0;
            clipTop5 += rank < 5 ? 1 : 0;
            double[] s = videoSum.computeIfAbsent(c.videoId(), v -> new double[k]);
            for (int i = 0; i < k; i++) {
                s[i] += c.probabilities()[i];
            }
            Integer prev = videoLabel.put(c.videoId(), c.label());
            if (prev != null && prev != c.label()) {
                throw new IllegalArgumentException("video " + c.videoId() + " has clips labelled " + prev + " and " + c.label());
            }
            videoClips.merge(c.videoId(), 1, Integer::sum);
        }
        long[][] confusion = new long[k][k];
        long[] perClassVideos = new long[k];
        long[] perClassCorrect = new long[k];
        long videoTop1 = 0;
        long videoTop5 = 0;
        for (var e : videoSum.entrySet()) {
            int label = videoLabel.get(e.getKey());
            int rank = rankOfLabel(e.getValue(), label);
            videoTop1 += rank < 1 ? 1 : 0;
            videoTop5 += rank < 5 ? 1 : 0;
            confusion[label][argMax(e.getValue())]++;
            perClassVideos[label]++;
            perClassCorrect[label] += rank < 1 ? 1 : 0;
        }
        int videos = videoSum.size();
        long majority = 0;
        for (long v : perClassVideos) {
            majority = Math.max(majority, v);
        }
        ObjectNode out = Json.object();
        ObjectNode clipLevel = out.putObject("clip_level");
        clipLevel.put("clips", clips.size());
        clipLevel.put("top1", ratio(clipTop1, clips.size()));
        clipLevel.put("top5", ratio(clipTop5, clips.size()));
        ObjectNode videoLevel = out.putObject("video_level");
        videoLevel.put("videos", videos);
        videoLevel.put("mean_clips_per_video", ratio(clips.size(), videos));
        videoLevel.put("top1", ratio(videoTop1, videos));
        videoLevel.put("top5", ratio(videoTop5, videos));
        ObjectNode base = out.putObject("baseline");
        base.put("chance_top1", 1.0 / k);
        base.put("chance_top5", Math.min(1.0, 5.0 / k));
        base.put("majority_class_top1", ratio(majority, videos));
        ArrayNode perClass = out.putArray("per_class");
        for (int i = 0; i < k; i++) {
            if (perClassVideos[i] == 0) {
                continue;
            }
            ObjectNode c = perClass.addObject();
            c.put("class", classNames.get(i));
            c.put("index", i);
            c.put("videos", perClassVideos[i]);
            c.put("top1", ratio(perClassCorrect[i], perClassVideos[i]));
        }
        ObjectNode conf = out.putObject("confusion");
        conf.put("rows", "true class");
        conf.put("columns", "predicted class (video level)");
        ArrayNode present = conf.putArray("classes");
        ArrayNode matrix = conf.putArray("matrix");
        for (int i = 0; i < k; i++) {
            if (perClassVideos[i] == 0 && columnSum(confusion, i) == 0) {
                continue;
            }
            present.add(i);
        }
        for (var r : present) {
            ArrayNode row = matrix.addArray();
            for (var c : present) {
                row.add(confusion[r.asInt()][c.asInt()]);
            }
        }
        return out;
    }

    /** 0 when the label has the highest score; ties count against the label. */
    static int rankOfLabel(double[] scores, int label) {
        int rank = 0;
        for (int i = 0; i < scores.length; i++) {
            if (i != label && scores[i] >= scores[label]) {
                rank++;
            }
        }
        return rank;
    }

    private static int argMax(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] > s[best]) {
                best = i;
            }
        }
        return best;
    }

    private static long columnSum(long[][] m, int c) {
        long s = 0;
        for (long[] row : m) {
            s += row[c];
        }
        return s;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
