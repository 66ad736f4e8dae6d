package dev.trainyard.ml;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Appends scored columns to a DataFrame's rows in Spark's internal row format: the input columns are read in place
 * (a float array is one bulk copy, not a list of boxed values) and passed through untouched, so the cost per row is
 * the model's, not a round trip through external {@link Row}s (which cost more than the Siamese network itself).
 * Spark ML's own models append columns with expressions; a network scoring minibatches cannot, so this does it by hand.
 */
final class AppendColumns {
    private AppendColumns() {
    }

    /** Scores a minibatch of (copied) input rows; returns each row's appended values in Spark's internal types, or nulls. */
    interface BatchScorer extends Serializable {
        List<Object[]> score(List<InternalRow> batch);
    }

    /** A per-partition scorer: made once per partition (taking the network its thread restored), then called per minibatch. */
    interface ScorerFactory extends Serializable {
        BatchScorer create();
    }

    static Dataset<Row> apply(Dataset<?> dataset, StructType out, int batchSize, ScorerFactory factory) {
        JavaRDD<InternalRow> rows = dataset.queryExecution().toRdd().toJavaRDD();
        JavaRDD<InternalRow> scored = rows.mapPartitions(it -> {
            if (!it.hasNext()) {
                return java.util.Collections.emptyIterator();
            }
            BatchScorer scorer = factory.create();
            UnsafeProjection project = UnsafeProjection.create(out);
            Iterator<InternalRow> copies = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public InternalRow next() {
                    return it.next().copy(); // readers reuse their row objects; a minibatch holds many
                }
            };
            return new Batched<>(copies, batchSize, batch -> {
                List<Object[]> values = scorer.score(batch);
                List<InternalRow> joined = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    joined.add(project.apply(new JoinedRow(batch.get(i), new GenericInternalRow(values.get(i)))).copy());
                }
                return joined;
            });
        });
        return dataset.sparkSession().internalCreateDataFrame(scored.rdd(), out, false);
    }
}
