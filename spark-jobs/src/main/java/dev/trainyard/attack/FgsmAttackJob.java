package dev.trainyard.attack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.JobContext;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.images.ImageSchema;
import dev.trainyard.train.ensemble.ImageBatches;
import dev.trainyard.zoo.ensemble.Ensemble;
import dev.trainyard.zoo.ensemble.Fgsm;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * FGSM examples for a split of an image dataset, made on the executors against one ensemble member
 * or the whole ensemble (white-box), written as a labelled-images dataset whose metadata records
 * the attack. Pixels are stored as bytes again (x' * 255 rounded), so the examples are what any
 * reader of the dataset sees.
 */
public final class FgsmAttackJob {
    private static final int BATCH = 256;

    private FgsmAttackJob() {
    }

    /**
     * @param member  the member attacked, or -1 for an ensemble
     * @param firstK  with member -1: attack the first K members combined; 0 = all of them
     */
    public record Config(String model, String data, String split, double epsilon, int member, int firstK, String output)
            implements java.io.Serializable {
        public Config {
            if (!(epsilon > 0) || epsilon > 1) {
                throw new IllegalArgumentException("--epsilon must be in (0, 1] (pixels are scaled to [0,1]), got " + epsilon);
            }
            if (firstK < 0 || (firstK > 0 && member >= 0)) {
                throw new IllegalArgumentException("first K members applies to an ensemble target only, got member " + member + ", K " + firstK);
            }
        }

        public Config(String model, String data, String split, double epsilon, int member, String output) {
            this(model, data, split, epsilon, member, 0, output);
        }

        String targetName() {
            if (member >= 0) {
                return "member " + member;
            }
            return (firstK > 0 ? "ensemble of the first " + firstK + " members" : "ensemble") + " (sum of member loss gradients)";
        }
    }

    public static ObjectNode run(SparkSession spark, Config cfg) {
        JobContext job = JobContext.start(spark);
        JavaSparkContext jsc = job.jsc();
        Storage storage = job.storage();
        ImageSchema.Meta meta = ImageSchema.meta(storage, cfg.data());
        int numClasses = meta.numClasses();
        byte[] modelBytes;
        int members;
        try {
            modelBytes = dev.trainyard.eval.EnsembleEvaluateJob.readArtifact(storage, cfg.model());
            members = Ensemble.memberCount(new ByteArrayInputStream(modelBytes), cfg.model());
            if (cfg.member() >= members || cfg.firstK() > members) {
                throw new IllegalArgumentException("--target " + (cfg.member() >= 0 ? "member:" + cfg.member() : "ensemble:" + cfg.firstK())
                        + " but the ensemble has " + members + " members");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the ensemble in " + cfg.model() + ": " + e.getMessage(), e);
        }
        Broadcast<byte[]> model = jsc.broadcast(modelBytes);
        JavaRDD<Row> adversarial = ImageSchema.read(spark, cfg.data(), cfg.split())
                // a test split is often one file: spread it so every core attacks
                .javaRDD().repartition(jsc.defaultParallelism())
                .mapPartitions((Iterator<Row> rows) -> attack(rows, model.value(), cfg, numClasses));
        storage.prepareOutput(cfg.output(), false);
        var df = spark.createDataFrame(adversarial, ImageSchema.STRUCT);
        df.write().parquet(DatasetMetadata.splitDir(cfg.output(), ImageSchema.VERSION, cfg.split()));
        long n = spark.read().parquet(DatasetMetadata.splitDir(cfg.output(), ImageSchema.VERSION, cfg.split())).count();
        ObjectNode details = ((ObjectNode) meta.json().path("details")).deepCopy();
        ObjectNode attack = details.putObject("attack");
        attack.put("method", "fgsm");
        attack.put("epsilon", cfg.epsilon());
        attack.put("target", cfg.targetName());
        if (cfg.member() < 0) {
            attack.put("ensemble_members", cfg.firstK() > 0 ? cfg.firstK() : members);
        }
        attack.put("model", cfg.model());
        attack.put("source", cfg.data() + " split " + cfg.split());
        attack.put("created_at", Instant.now().toString());
        DatasetMetadata.write(storage, cfg.output(), ImageSchema.DATASET_KIND, ImageSchema.VERSION, details);
        ObjectNode s = Json.object();
        s.put("job", "attack fgsm");
        s.put("examples", n);
        s.set("attack", attack);
        s.put("seconds", job.seconds());
        storage.writeText(cfg.output() + "/attack-summary.json", Json.write(s));
        model.destroy();
        return s;
    }

    private static Iterator<Row> attack(Iterator<Row> rows, byte[] model, Config cfg, int numClasses) throws IOException {
        List<Row> out = new ArrayList<>();
        if (!rows.hasNext()) {
            return out.iterator();
        }
        Ensemble ensemble = Ensemble.read(new ByteArrayInputStream(model), cfg.model());
        if (cfg.firstK() > 0) {
            ensemble = ensemble.firstMembers(cfg.firstK());
        }
        List<Row> batch = new ArrayList<>(BATCH);
        while (rows.hasNext()) {
            batch.add(rows.next());
            if (batch.size() == BATCH || !rows.hasNext()) {
                out.addAll(attackBatch(batch, ensemble, cfg, numClasses));
                batch = new ArrayList<>(BATCH);
            }
        }
        return out.iterator();
    }

    private static List<Row> attackBatch(List<Row> batch, Ensemble ensemble, Config cfg, int numClasses) {
        Row first = batch.get(0);
        int h = first.getInt(first.fieldIndex("height"));
        int w = first.getInt(first.fieldIndex("width"));
        byte[][] px = new byte[batch.size()][];
        int[] labels = new int[batch.size()];
        int[] idx = new int[batch.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte[]) batch.get(i).get(batch.get(i).fieldIndex("pixels"));
            labels[i] = batch.get(i).getInt(batch.get(i).fieldIndex("label"));
            idx[i] = i;
        }
        DataSet ds = new ImageBatches(px, labels, h, w, numClasses).batch(idx, 0, idx.length);
        INDArray adv = cfg.member() < 0
                ? Fgsm.perturb(ensemble.members(), ds.getFeatures(), ds.getLabels(), cfg.epsilon(), 0, 1)
                : Fgsm.perturb(ensemble.members().get(cfg.member()), ds.getFeatures(), ds.getLabels(), cfg.epsilon(), 0, 1);
        float[] flat = adv.ravel().toFloatVector();
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            byte[] b = new byte[h * w];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) Math.round(flat[i * h * w + j] * 255f);
            }
            Row r = batch.get(i);
            out.add(RowFactory.create(r.getString(r.fieldIndex("source_file")), r.getLong(r.fieldIndex("index")),
                    r.getString(r.fieldIndex("split")), labels[i], h, w, b));
        }
        return out;
    }

}
