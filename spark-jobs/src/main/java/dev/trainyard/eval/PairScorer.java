package dev.trainyard.eval;

import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.train.PairBatches;
import dev.trainyard.train.PairExample;
import dev.trainyard.train.PairFeatures;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Scores a split on the executors: the model travels as a broadcast DL4J zip, each partition
 * restores it once and scores its rows in minibatches. Returns (score, label) with higher score
 * meaning "duplicate" (minus the distance for the distance head).
 */
public final class PairScorer {
    private static final int BATCH = 512;

    private PairScorer() {
    }

    public record Scored(double[] scores, int[] labels) {
        public int size() {
            return scores.length;
        }
    }

    public static Scored score(SparkSession spark, ComputationGraph net, SiameseSpec spec, String dataset, String split) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> model = jsc.broadcast(dev.trainyard.zoo.io.ModelFiles.toBytes(net));
        boolean higherIsDuplicate = SiameseNetwork.higherMeansDuplicate(spec.head());
        PairFeatures features = PairFeatures.of(spec);
        List<double[]> out = features.select(PairSchema.read(spark, dataset, split).filter(col(PairSchema.LABEL).isNotNull()))
                .javaRDD()
                .mapPartitions((Iterator<Row> rows) -> scorePartition(rows, model.value(), features, higherIsDuplicate))
                .collect();
        double[] s = new double[out.size()];
        int[] l = new int[out.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = out.get(i)[0];
            l[i] = (int) out.get(i)[1];
        }
        model.destroy();
        return new Scored(s, l);
    }

    private static Iterator<double[]> scorePartition(Iterator<Row> rows, byte[] model, PairFeatures features, boolean higherIsDuplicate) throws IOException {
        List<double[]> out = new ArrayList<>();
        if (!rows.hasNext()) {
            return out.iterator();
        }
        ComputationGraph net = dev.trainyard.zoo.io.ModelFiles.readGraph(model, "the broadcast model", false);
        List<PairExample> batch = new ArrayList<>(BATCH);
        while (rows.hasNext()) {
            batch.add(features.toExample(rows.next()));
            if (batch.size() == BATCH || !rows.hasNext()) {
                double[] s = scores(net, features, batch, higherIsDuplicate);
                for (int i = 0; i < batch.size(); i++) {
                    out.add(new double[]{s[i], batch.get(i).label()});
                }
                batch.clear();
            }
        }
        return out.iterator();
    }


    /**
     * The one way a Siamese network scores pairs (evaluation and prediction both call it): higher means duplicate, the
     * network's probability or minus its distance.
     */
    public static double[] scores(ComputationGraph net, PairFeatures features, List<PairExample> batch, boolean higherIsDuplicate) {
        MultiDataSet mds = features.toMultiDataSet(batch);
        INDArray o = net.output(false, mds.getFeatures(), mds.getFeaturesMaskArrays())[0];
        double[] s = new double[batch.size()];
        for (int i = 0; i < s.length; i++) {
            double v = o.getDouble(i, 0);
            s[i] = higherIsDuplicate ? v : -v;
        }
        return s;
    }
}
