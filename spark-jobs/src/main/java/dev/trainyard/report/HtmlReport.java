package dev.trainyard.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A self-contained HTML report: metrics beside the baseline, and learning curves as inline SVG. */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static String render(JsonNode eval, JsonNode epochs, JsonNode manifest) {
        StringBuilder h = page("Trainyard evaluation", "");
        h.append("<h1>Siamese duplicate-question model: evaluation</h1>");
        h.append("<p class=note>model <code>").append(esc(eval.path("model").asText())).append("</code>, data <code>")
                .append(esc(eval.path("data").asText())).append("</code>, split <b>").append(esc(eval.path("split").asText()))
                .append("</b>, evaluated ").append(esc(eval.path("evaluated_at").asText())).append("</p>");

        JsonNode m = eval.path("metrics");
        JsonNode b = eval.path("baseline");
        h.append("<h2>Metrics</h2><table><tr><th>metric</th><th>model</th><th>majority baseline</th></tr>");
        row(h, "accuracy", m.path("accuracy"), b.path("accuracy"));
        row(h, "precision", m.path("precision"), null);
        row(h, "recall", m.path("recall"), null);
        row(h, "F1", m.path("f1"), null);
        row(h, "ROC AUC", m.path("roc_auc"), null);
        row(h, "log loss", m.path("log_loss"), b.path("log_loss"));
        h.append("<tr><td>examples</td><td>").append(m.path("examples").asLong()).append("</td><td></td></tr></table>");
        JsonNode th = eval.path("threshold");
        h.append("<p>Decision threshold ").append(fmt(th.path("value").asDouble())).append(" (")
                .append(esc(th.path("meaning").asText())).append("), from the <b>").append(esc(th.path("from").asText(th.path("chosen_on").asText() + " split")))
                .append("</b>. Calibration: ").append(esc(eval.path("calibration").path("method").asText())).append(".</p>");

        JsonNode c = m.path("confusion");
        h.append("<h2>Confusion matrix</h2><table><tr><th></th><th>predicted duplicate</th><th>predicted different</th></tr>")
                .append("<tr><td>duplicate</td><td>").append(c.path("true_positive").asLong()).append("</td><td>")
                .append(c.path("false_negative").asLong()).append("</td></tr><tr><td>different</td><td>")
                .append(c.path("false_positive").asLong()).append("</td><td>").append(c.path("true_negative").asLong())
                .append("</td></tr></table>");

        h.append(diagnosis(eval.path("diagnosis")));
        h.append("<h2>Learning curves</h2>").append(learningCurve(epochs));
        h.append("<h2>Run</h2><table>");
        JsonNode t = manifest.path("training");
        kv(h, "engine", t.path("engine").asText());
        kv(h, "workers", t.path("workers").asText());
        kv(h, "batch size per worker", t.path("batchSizePerWorker").asText());
        kv(h, "averaging frequency", t.path("averagingFrequency").asText());
        kv(h, "epochs", t.path("epochs").asText());
        kv(h, "seed", manifest.path("seed").asText());
        kv(h, "training pairs/s", String.format(Locale.ROOT, "%.0f", manifest.path("timing").path("examples_per_second").asDouble()));
        kv(h, "Spark master", manifest.path("spark_master").asText());
        kv(h, "ND4J backend", manifest.path("versions").path("nd4j_backend").asText());
        h.append("</table></body></html>\n");
        return h.toString();
    }

    /** Train and dev loss per epoch as an SVG line chart. */
    /** The clip classifier's report: top-1/top-5 per clip and per video, per-class accuracy, learning curves. */
    public static String renderClips(JsonNode eval, JsonNode epochs, JsonNode manifest) {
        StringBuilder h = page("Trainyard clip evaluation", ".bar{background:#4a7bd0;height:10px;display:inline-block}");
        h.append("<h1>").append(esc(manifest.path("model").asText("model"))).append(": clip classification</h1>");
        h.append("<p class=note>model <code>").append(esc(eval.path("model").asText())).append("</code>, data <code>")
                .append(esc(eval.path("data").asText())).append("</code>, split <b>").append(esc(eval.path("split").asText()))
                .append("</b>, evaluated ").append(esc(eval.path("evaluated_at").asText())).append(". ")
                .append(esc(eval.path("test_time_augmentation").asText())).append(".</p>");
        JsonNode c = eval.path("clip_level");
        JsonNode v = eval.path("video_level");
        JsonNode b = eval.path("baseline");
        h.append("<h2>Accuracy</h2><table><tr><th></th><th>top-1</th><th>top-5</th><th>count</th></tr>");
        h.append("<tr><td>per clip</td><td>").append(fmt(c.path("top1").asDouble())).append("</td><td>")
                .append(fmt(c.path("top5").asDouble())).append("</td><td>").append(c.path("clips").asLong()).append("</td></tr>");
        h.append("<tr><td>per video (clips averaged)</td><td>").append(fmt(v.path("top1").asDouble())).append("</td><td>")
                .append(fmt(v.path("top5").asDouble())).append("</td><td>").append(v.path("videos").asLong()).append("</td></tr>");
        h.append("<tr><td>chance</td><td>").append(fmt(b.path("chance_top1").asDouble())).append("</td><td>")
                .append(fmt(b.path("chance_top5").asDouble())).append("</td><td></td></tr>");
        h.append("<tr><td>majority class</td><td>").append(fmt(b.path("majority_class_top1").asDouble()))
                .append("</td><td></td><td></td></tr></table>");
        h.append("<h2>Per class (video top-1)</h2><table><tr><th>class</th><th>videos</th><th>top-1</th><th></th></tr>");
        for (JsonNode pc : eval.path("per_class")) {
            double a = pc.path("top1").asDouble();
            h.append("<tr><td>").append(esc(pc.path("class").asText())).append("</td><td>").append(pc.path("videos").asLong())
                    .append("</td><td>").append(fmt(a)).append("</td><td style=\"text-align:left;width:200px\"><span class=bar style=\"width:")
                    .append(Math.round(200 * a)).append("px\"></span></td></tr>");
        }
        h.append("</table>").append(diagnosis(eval.path("diagnosis")));
        h.append("<h2>Learning curves</h2>").append(learningCurve(epochs));
        h.append("<h2>Run</h2><table>");
        JsonNode t = manifest.path("training");
        kv(h, "architecture", manifest.path("spec").toString());
        kv(h, "initialised from", manifest.path("init").asText("random"));
        kv(h, "engine", t.path("engine").asText());
        kv(h, "workers", t.path("workers").asText());
        kv(h, "batch size per worker", t.path("batchSizePerWorker").asText());
        kv(h, "epochs", t.path("epochs").asText());
        kv(h, "training clips/s", String.format(Locale.ROOT, "%.2f", manifest.path("timing").path("examples_per_second").asDouble()));
        kv(h, "Spark master", manifest.path("spark_master").asText());
        h.append("</table></body></html>\n");
        return h.toString();
    }

    /** The opening of every Trainyard report page: title and the shared table style, plus {@code css}. */
    public static StringBuilder page(String title, String css) {
        return new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
                .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.note{color:#666}")
                .append(css).append("</style></head><body>");
    }

    /** Where the HTML report of an evaluation JSON goes: beside it, FILE.json -> FILE.html (any file system). */
    public static String pathBeside(String json) {
        return (json.endsWith(".json") ? json.substring(0, json.length() - 5) : json) + ".html";
    }

    /** The bias/variance diagnosis as a table and its verdict; empty when the evaluation has none. */
    public static String diagnosis(JsonNode d) {
        if (d.isMissingNode()) {
            return "";
        }
        StringBuilder h = new StringBuilder("<h2>Diagnosis</h2><table><tr><th>error</th><th>value</th></tr>");
        for (String[] r : new String[][] {{"reference (" + d.path("reference_source").asText() + ")", "reference_error"},
                {"train", "train_error"}, {"dev", "dev_error"}, {"test", "test_error"}, {"avoidable bias (train - reference)", "avoidable_bias"},
                {"variance (" + (d.path("dev_error").isNull() ? "test" : "dev") + " - train)", "variance"}, {"dev-test gap (test - dev)", "dev_test_gap"}}) {
            String v = d.path(r[1]).isNumber() ? fmt(d.path(r[1]).asDouble()) : "n/a";
            h.append("<tr><td>").append(esc(r[0])).append("</td><td>").append(v).append("</td></tr>");
        }
        return h.append("</table><p><b>Dominant: ").append(esc(d.path("dominant").asText())).append(".</b> ")
                .append(esc(d.path("summary").asText())).append("</p>").toString();
    }

    public static String learningCurve(JsonNode epochs) {
        if (epochs == null || epochs.size() == 0) {
            return "<p class=note>no epochs recorded</p>";
        }
        List<double[]> train = new ArrayList<>();
        List<double[]> dev = new ArrayList<>();
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (JsonNode e : epochs) {
            double x = e.path("epoch").asDouble();
            train.add(new double[]{x, e.path("train_loss").asDouble()});
            if (e.has("dev_loss")) {
                dev.add(new double[]{x, e.path("dev_loss").asDouble()});
            }
        }
        for (List<double[]> s : List.of(train, dev)) {
            for (double[] p : s) {
                lo = Math.min(lo, p[1]);
                hi = Math.max(hi, p[1]);
            }
        }
        double x0 = train.get(0)[0];
        double x1 = Math.max(x0 + 1, train.get(train.size() - 1)[0]);
        if (hi - lo < 1e-12) {
            hi = lo + 1;
        }
        int w = 640, ht = 300, pad = 50;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(ht).append("\">");
        s.append("<rect x=\"").append(pad).append("\" y=\"10\" width=\"").append(w - pad - 10).append("\" height=\"")
                .append(ht - pad - 10).append("\" fill=\"none\" stroke=\"#999\"/>");
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            double y = 10 + (ht - pad - 10) * (1 - (double) i / 4);
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.3f</text>", pad - 4, y + 4, v));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">epoch %s to %s</text>", pad, ht - 15,
                fmtInt(x0), fmtInt(x1)));
        s.append(polyline(train, x0, x1, lo, hi, w, ht, pad, "#1f77b4"));
        s.append(polyline(dev, x0, x1, lo, hi, w, ht, pad, "#d62728"));
        s.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#1f77b4\">train loss</text>", w - 150, 28));
        if (!dev.isEmpty()) {
            s.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#d62728\">dev loss</text>", w - 150, 44));
        }
        return s.append("</svg>").toString();
    }

    private static String polyline(List<double[]> pts, double x0, double x1, double lo, double hi, int w, int ht, int pad, String color) {
        if (pts.isEmpty()) {
            return "";
        }
        StringBuilder p = new StringBuilder();
        for (double[] q : pts) {
            double x = pad + (w - pad - 10) * (q[0] - x0) / (x1 - x0);
            double y = 10 + (ht - pad - 10) * (1 - (q[1] - lo) / (hi - lo));
            p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\" points=\"" + p.toString().trim() + "\"/>";
    }

    private static void row(StringBuilder h, String name, JsonNode v, JsonNode base) {
        h.append("<tr><td>").append(name).append("</td><td>").append(fmt(v.asDouble())).append("</td><td>")
                .append(base == null || base.isMissingNode() ? "" : fmt(base.asDouble())).append("</td></tr>");
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmtInt(double v) {
        return String.valueOf((long) v);
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
