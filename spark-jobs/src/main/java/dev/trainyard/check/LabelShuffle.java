package dev.trainyard.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.DatasetMetadata;
import dev.trainyard.prep.common.Storage;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Copies a labelled dataset with its training split limited to the first {@code limit} rows (in a
 * stable order) and, when {@code shuffle}, that split's labels permuted by a seeded shuffle: the
 * same inputs, the same label counts, no relation between them. Other splits are copied as they
 * are, so test accuracy is still measured against the true labels.
 */
final class LabelShuffle {
    static final String LABEL = "label";

    private LabelShuffle() {
    }

    /** @param order columns giving the rows a stable order before the limit */
    static long write(SparkSession spark, Storage storage, String data, String kind, int version, List<String> splits, List<String> order,
                      String train, int limit, boolean shuffle, long seed, String output) {
        var meta = DatasetMetadata.require(storage, data, kind, version);
        storage.prepareOutput(output, true);
        long trainRows = 0;
        for (String split : splits) {
            String dir = DatasetMetadata.splitDir(data, version, split);
            if (!storage.exists(dir)) {
                continue;
            }
            Dataset<Row> df = spark.read().parquet(dir);
            String target = DatasetMetadata.splitDir(output, version, split);
            if (!split.equals(train)) {
                df.write().parquet(target);
                continue;
            }
            df = df.orderBy(order.stream().map(df::col).toArray(org.apache.spark.sql.Column[]::new));
            if (limit > 0) {
                df = df.limit(limit);
            }
            if (shuffle) {
                trainRows = writeShuffled(spark, df, seed, target);
            } else {
                df.write().parquet(target);
                trainRows = spark.read().parquet(target).count();
            }
        }
        ObjectNode details = ((ObjectNode) meta.path("details")).deepCopy();
        ObjectNode check = details.putObject("memorisation_check");
        check.put("source", data);
        check.put("training_rows", trainRows);
        check.put("labels_shuffled", shuffle);
        check.put("shuffle_seed", seed);
        DatasetMetadata.write(storage, output, kind, version, details);
        return trainRows;
    }

    /** Writes {@code df} with its labels permuted; returns the rows written. */
    private static long writeShuffled(SparkSession spark, Dataset<Row> df, long seed, String target) {
        int labelAt = df.schema().fieldIndex(LABEL);
        // cached so that the labels collected and the rows rewritten come from one evaluation of df
        var indexed = df.javaRDD().zipWithIndex().cache();
        List<Integer> labels = indexed.map(t -> t._1().isNullAt(labelAt) ? null : t._1().getInt(labelAt)).collect();
        int[] permuted = permute(labels, seed);
        Broadcast<int[]> perm = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(permuted);
        JavaRDD<Row> rows = indexed.map(t -> {
            Row r = t._1();
            if (r.isNullAt(labelAt)) {
                return r;
            }
            Object[] values = new Object[r.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = r.get(i);
            }
            values[labelAt] = perm.value()[(int) (long) t._2()];
            return RowFactory.create(values);
        });
        spark.createDataFrame(rows, df.schema()).write().parquet(target);
        indexed.unpersist(false);
        perm.destroy();
        return labels.size();
    }

    /** The labelled rows' labels in a seeded random order (Fisher-Yates); unlabelled rows keep none. */
    static int[] permute(List<Integer> labels, long seed) {
        int[] present = labels.stream().filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).toArray();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = present.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = present[i];
            present[i] = present[j];
            present[j] = t;
        }
        int[] out = new int[labels.size()];
        for (int i = 0, k = 0; i < out.length; i++) {
            out[i] = labels.get(i) == null ? -1 : present[k++];
        }
        return out;
    }
}
