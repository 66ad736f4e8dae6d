package dev.trainyard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.eval.Diagnosis;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.images.ImageSchema;
import dev.trainyard.train.ensemble.EnsembleTrainJob;
import dev.trainyard.train.ensemble.ImageBatches;
import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.Ensemble;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy of every member and of each combiner on one or more image datasets (clean, and FGSM
 * examples from {@code attack fgsm}), scored on the executors ({@link EnsembleScoring}).
 */
public final class EnsembleEvaluateJob {
    /** Points per dataset in the hidden-layer projection. */
    public static final int PROJECTED = 400;
    /** Training images scored, at most, for the diagnosis' train error. */
    static final int DIAGNOSIS_TRAIN_IMAGES = 10_000;

    private EnsembleEvaluateJob() {
    }

    public static ObjectNode run(SparkSession spark, String model, List<String> datasets, String split, String output) {
        return run(spark, model, datasets, split, List.of(), output);
    }

    /**
     * @param sizes also score the ensembles of the first k members for each k here (what
     *              {@code --members k} trains), for accuracy-against-N curves from one run
     */
    public static ObjectNode run(SparkSession spark, String model, List<String> datasets, String split, List<Integer> sizes,
                                 String output) {
        return run(spark, model, datasets, split, sizes, null, output);
    }

    /** @param referenceError the diagnosis' reference (null: the majority class of the training images) */
    public static ObjectNode run(SparkSession spark, String model, List<String> datasets, String split, List<Integer> sizes,
                                 Double referenceError, String output) {
        Ensemble ensemble;
        byte[] modelBytes;
        try {
            modelBytes = readArtifact(new Storage(spark.sparkContext().hadoopConfiguration()), model);
            ensemble = Ensemble.read(new ByteArrayInputStream(modelBytes), model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode out = Json.object();
        out.put("model", model);
        out.put("members", ensemble.members().size());
        out.put("split", split);
        for (int k : sizes) {
            if (k < 1 || k > ensemble.members().size()) {
                throw new IllegalArgumentException("--sizes " + k + ": the ensemble in " + model + " has " + ensemble.members().size() + " members");
            }
        }
        out.put("evaluated_at", Instant.now().toString());
        var results = out.putArray("datasets");
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        List<HiddenProjection.Points> projected = new ArrayList<>();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JsonNode manifest = readManifest(storage, model);
        try (EnsembleScoring scoring = new EnsembleScoring(jsc, modelBytes, model, ensemble.members().size())) {
            for (String data : datasets) {
                ImageSchema.Meta meta = ImageSchema.meta(storage, data);
                ImageBatches images = EnsembleTrainJob.load(spark, meta, split);
                ObjectNode r = results.addObject();
                r.put("data", data);
                r.put("examples", images.size());
                if (meta.attack().isPresent()) {
                    r.set("attack", meta.attack().get());
                }
                EnsembleScoring.Counts counts = scoring.count(images, null, sizes);
                long[] memberCorrect = counts.members();
                long[] combinedCorrect = counts.combined();
                long[][] bySizeCorrect = counts.bySize();
                accuracies(r.putObject("accuracy"), combinedCorrect, images.size());
                if (!sizes.isEmpty()) {
                    var bySize = r.putArray("accuracy_by_size");
                    for (int k = 0; k < sizes.size(); k++) {
                        ObjectNode row = bySize.addObject();
                        row.put("members", sizes.get(k));
                        accuracies(row, bySizeCorrect[k], images.size());
                    }
                }
                List<Double> members = new ArrayList<>();
                for (long c : memberCorrect) {
                    members.add(c / (double) images.size());
                }
                r.set("member_accuracy", Json.MAPPER.valueToTree(members));

                int[] first = java.util.stream.IntStream.range(0, Math.min(images.size(), PROJECTED)).toArray();
                DataSet sample = images.batch(first, 0, first.length);
                var member0 = ensemble.members().get(0);
                projected.add(new HiddenProjection.Points(data, r.has("attack"), HiddenProjection.hidden(member0, sample.getFeatures()),
                        sample.getLabels().argMax(1).toIntVector(), member0.output(sample.getFeatures()).argMax(1).toIntVector()));
            }
            diagnosis(spark, storage, manifest, scoring, ensemble, out, referenceError).ifPresent(d -> out.set("diagnosis", d));
        }
        if (!projected.isEmpty() && !projected.get(0).adversarial()) {
            ObjectNode proj = HiddenProjection.project(projected.get(0).hidden(), projected);
            proj.put("member", 0);
            out.set("hidden_projection", proj);
        }
        storage.writeText(output, Json.write(out));
        storage.writeText(dev.trainyard.report.HtmlReport.pathBeside(output),
                dev.trainyard.report.EnsembleReport.render(out, manifest.path("epochs")));
        return out;
    }

    /**
     * The ensemble's error (its own combiner) on up to {@link #DIAGNOSIS_TRAIN_IMAGES} of its training
     * images (every k-th) against the clean dataset scored first. Image datasets have no dev split, so
     * the variance is measured on that dataset. Empty when the training data cannot be found.
     */
    private static java.util.Optional<ObjectNode> diagnosis(SparkSession spark, Storage storage, JsonNode manifest,
                                                            EnsembleScoring scoring, Ensemble ensemble,
                                                            ObjectNode out, Double referenceError) {
        JsonNode clean = out.path("datasets").get(0);
        String trainData = manifest.path("config").path("data").asText("");
        if (clean == null || clean.has("attack") || trainData.isEmpty()
                || !storage.exists(DatasetMetadata.splitDir(trainData, ImageSchema.VERSION, "train"))) {
            return java.util.Optional.empty();
        }
        ImageBatches train = EnsembleTrainJob.load(spark, ImageSchema.meta(storage, trainData), "train");
        int stride = Math.max(1, (train.size() + DIAGNOSIS_TRAIN_IMAGES - 1) / DIAGNOSIS_TRAIN_IMAGES);
        int[] picked = java.util.stream.IntStream.iterate(0, i -> i < train.size(), i -> i + stride).toArray();
        long correct = scoring.count(train, picked, List.of())
                .combined()[ensemble.combiner().ordinal()];
        String combiner = ensemble.combiner().name().toLowerCase(java.util.Locale.ROOT);
        double testError = 1 - clean.path("accuracy").path(combiner).asDouble();
        double reference = referenceError != null ? referenceError : Diagnosis.majorityError(train.labels());
        ObjectNode d = Diagnosis.of(1 - correct / (double) picked.length, Double.NaN, testError, reference,
                referenceError != null ? "--reference-error" : "majority class of the training images (no --reference-error given)");
        d.put("combiner", combiner);
        d.put("train_images_scored", picked.length);
        return java.util.Optional.of(d);
    }

    private static JsonNode readManifest(Storage storage, String model) {
        try {
            return Json.MAPPER.readTree(storage.readText(model + "/" + dev.trainyard.train.ModelDir.MANIFEST));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Json.object();
        }
    }

    /** The ensemble's zip, from any file system Trainyard reads. */
    public static byte[] readArtifact(Storage storage, String model) throws IOException {
        try (java.io.InputStream in = storage.open(model + "/" + EnsembleTrainJob.ARTIFACT)) {
            return in.readAllBytes();
        }
    }

    private static void accuracies(ObjectNode into, long[] correctPerCombiner, int examples) {
        for (Combiner c : Combiner.values()) {
            into.put(c.name().toLowerCase(java.util.Locale.ROOT), correctPerCombiner[c.ordinal()] / (double) examples);
        }
    }
}
