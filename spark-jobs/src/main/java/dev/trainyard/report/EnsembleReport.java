package dev.trainyard.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * The ensemble evaluation as HTML: accuracy per combiner and member on every dataset (clean and
 * attacked), and member 0's last hidden layer in two dimensions, clean points as dots and
 * adversarial ones as crosses, coloured by true class.
 */
public final class EnsembleReport {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf"};

    private EnsembleReport() {
    }

    public static String render(JsonNode eval) {
        return render(eval, null);
    }

    /** @param epochs the manifest's per-epoch training loss (members' mean), for the learning curve; null: none */
    public static String render(JsonNode eval, JsonNode epochs) {
        StringBuilder h = HtmlReport.page("Trainyard ensemble evaluation", "");
        h.append("<h1>Ensemble of ").append(eval.path("members").asInt()).append(": evaluation</h1>");
        h.append("<p class=note>model <code>").append(HtmlReport.esc(eval.path("model").asText())).append("</code>, evaluated ")
                .append(HtmlReport.esc(eval.path("evaluated_at").asText())).append("</p>");
        h.append("<h2>Accuracy</h2><table><tr><th>data</th><th>mean</th><th>max</th><th>vote</th><th>members</th></tr>");
        for (JsonNode d : eval.path("datasets")) {
            JsonNode a = d.path("accuracy");
            h.append("<tr><td>").append(HtmlReport.esc(name(d))).append("</td><td>").append(f(a.path("mean").asDouble()))
                    .append("</td><td>").append(f(a.path("max").asDouble())).append("</td><td>").append(f(a.path("vote").asDouble()))
                    .append("</td><td>");
            for (JsonNode m : d.path("member_accuracy")) {
                h.append(f(m.asDouble())).append(' ');
            }
            h.append("</td></tr>");
        }
        h.append("</table>");
        if (eval.path("datasets").path(0).has("accuracy_by_size")) {
            h.append("<h2>Accuracy by ensemble size</h2><p class=note>The first N members (what --members N trains).</p>")
                    .append("<table><tr><th>data</th><th>N</th><th>mean</th><th>max</th><th>vote</th></tr>");
            for (JsonNode d : eval.path("datasets")) {
                for (JsonNode row : d.path("accuracy_by_size")) {
                    h.append("<tr><td>").append(HtmlReport.esc(name(d))).append("</td><td>").append(row.path("members").asInt());
                    for (String c : new String[] {"mean", "max", "vote"}) {
                        h.append("</td><td>").append(f(row.path(c).asDouble()));
                    }
                    h.append("</td></tr>");
                }
            }
            h.append("</table>");
        }
        h.append(HtmlReport.diagnosis(eval.path("diagnosis")));
        if (epochs != null && epochs.size() > 0) {
            h.append("<h2>Learning curve</h2><p class=note>Mean minibatch training loss per epoch, averaged over the members "
                    + "(image datasets have no dev split).</p>").append(HtmlReport.learningCurve(epochs));
        }
        JsonNode p = eval.path("hidden_projection");
        if (!p.isMissingNode()) {
            h.append("<h2>Member 0, last hidden layer</h2><p class=note>").append(HtmlReport.esc(p.path("method").asText()))
                    .append(". Dots: clean; crosses: adversarial; colour: true class.</p>").append(scatter(p));
        }
        return h.append("</body></html>\n").toString();
    }

    private static String name(JsonNode d) {
        JsonNode atk = d.path("attack");
        return atk.isMissingNode() ? "clean: " + d.path("data").asText()
                : "FGSM eps " + atk.path("epsilon").asText() + " vs " + atk.path("target").asText();
    }

    private static String scatter(JsonNode p) {
        double lo0 = Double.MAX_VALUE, hi0 = -Double.MAX_VALUE, lo1 = Double.MAX_VALUE, hi1 = -Double.MAX_VALUE;
        for (JsonNode d : p.path("datasets")) {
            for (JsonNode pt : d.path("points")) {
                lo0 = Math.min(lo0, pt.get(0).asDouble());
                hi0 = Math.max(hi0, pt.get(0).asDouble());
                lo1 = Math.min(lo1, pt.get(1).asDouble());
                hi1 = Math.max(hi1, pt.get(1).asDouble());
            }
        }
        int w = 640;
        int ht = 480;
        int pad = 20;
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + ht
                + "\" style=\"border:1px solid #ddd\">");
        for (JsonNode d : p.path("datasets")) {
            boolean adv = d.path("adversarial").asBoolean();
            for (JsonNode pt : d.path("points")) {
                double x = pad + (pt.get(0).asDouble() - lo0) / Math.max(hi0 - lo0, 1e-9) * (w - 2 * pad);
                double y = ht - pad - (pt.get(1).asDouble() - lo1) / Math.max(hi1 - lo1, 1e-9) * (ht - 2 * pad);
                String c = COLOURS[Math.floorMod(pt.get(2).asInt(), COLOURS.length)];
                if (adv) {
                    s.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fl5 5m0 -5l-5 5\" stroke=\"%s\" stroke-width=\"1.2\"/>",
                            x - 2.5, y - 2.5, c));
                } else {
                    s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" fill-opacity=\"0.7\"/>", x, y, c));
                }
            }
        }
        return s.append("</svg>").toString();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
