package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;

/**
 * How a Siamese model turns scores into decisions, chosen once on labelled pairs and kept with the
 * model ({@value #FILE} in its folder), so data without a dev split is judged by the rule the model
 * was trained with. Scores are what {@link PairScorer} returns: higher means duplicate (minus the
 * distance for the distance head).
 *
 * @param threshold  duplicate when score >= threshold
 * @param platt      calibration of scores to probabilities (distance head), or null when the network outputs probabilities
 * @param chosenOn   where it was chosen: "dev" or "train" of {@code data}
 * @param data       the dataset it was chosen on
 * @param examples   how many labelled pairs it was chosen on
 * @param accuracy   accuracy on them at the threshold
 */
public record DecisionRule(double threshold, PlattScaling platt, String chosenOn, String data, int examples, double accuracy) {
    public static final String FILE = "decision-rule.json";

    /** The accuracy-maximising threshold (and, for a distance head, Platt scaling) on labelled scores. */
    public static DecisionRule choose(PairScorer.Scored scored, boolean distance, String chosenOn, String data) {
        if (scored.size() == 0) {
            throw new IllegalArgumentException("no labelled pairs in " + chosenOn + " of " + data + " to choose a decision threshold on");
        }
        double threshold = BinaryMetrics.bestThreshold(scored.scores(), scored.labels());
        PlattScaling platt = distance ? PlattScaling.fit(scored.scores(), scored.labels()) : null;
        double[] p = probabilities(scored, platt);
        double accuracy = BinaryMetrics.of(scored.scores(), scored.labels(), threshold, p).accuracy();
        return new DecisionRule(threshold, platt, chosenOn, data, scored.size(), accuracy);
    }

    /**
     * Chooses the rule of a trained Siamese model on its training data's labelled dev pairs (its
     * training pairs when the data has no dev pairs) and writes it into the model folder.
     */
    public static DecisionRule record(org.apache.spark.sql.SparkSession spark, dev.trainyard.prep.common.Storage storage, String model,
                                      String data) {
        dev.trainyard.train.ModelDir dir = new dev.trainyard.train.ModelDir(storage, model);
        var net = dir.readModel();
        var spec = dir.spec(dev.trainyard.zoo.siamese.SiameseSpec.class);
        boolean distance = spec.head() == dev.trainyard.zoo.siamese.SiameseSpec.Head.DISTANCE;
        String split = dev.trainyard.prep.text.SplitAssigner.DEV;
        PairScorer.Scored scored = PairScorer.score(spark, net, spec, data, split);
        if (scored.size() == 0) {
            split = dev.trainyard.prep.text.SplitAssigner.TRAIN;
            scored = PairScorer.score(spark, net, spec, data, split);
        }
        DecisionRule rule = choose(scored, distance, split, data);
        dir.writeJson(FILE, rule.toJson());
        return rule;
    }

    /** Probabilities of "duplicate" for scored pairs: calibrated, or the network's own. */
    public double[] probabilities(PairScorer.Scored scored) {
        return probabilities(scored, platt);
    }

    static double[] probabilities(PairScorer.Scored s, PlattScaling platt) {
        return platt == null ? s.scores().clone() : java.util.Arrays.stream(s.scores()).map(platt::probability).toArray();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("threshold", threshold);
        o.put("meaning", "duplicate when score >= threshold (score = probability, or minus the distance for the distance head)");
        if (platt != null) {
            o.putObject("platt").put("a", platt.a()).put("b", platt.b());
        }
        o.put("chosen_on", chosenOn);
        o.put("data", data);
        o.put("examples", examples);
        o.put("accuracy", accuracy);
        return o;
    }

    public static DecisionRule fromJson(JsonNode o) {
        PlattScaling platt = o.has("platt") ? new PlattScaling(o.path("platt").path("a").asDouble(), o.path("platt").path("b").asDouble()) : null;
        return new DecisionRule(o.path("threshold").asDouble(), platt, o.path("chosen_on").asText(), o.path("data").asText(),
                o.path("examples").asInt(), o.path("accuracy").asDouble());
    }
}
