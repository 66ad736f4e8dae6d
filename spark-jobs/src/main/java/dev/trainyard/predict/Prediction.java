package dev.trainyard.predict;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Map;

/**
 * One family's predictions before they are written: the prediction rows (without the model columns every row
 * gets), the rejected inputs, and what the family counts.
 *
 * @param unit        what a row read is ("pairs", "images", "videos")
 * @param read        input records read
 * @param quarantined rejected input records per reason (a rejected truncated file tail stands for every record it lost)
 * @param details     what the summary says about how the family predicted (threshold, combiner, sampling)
 * @param cleanup     releases what the family cached
 */
record Prediction(Dataset<Row> rows, Dataset<Row> quarantine, String unit, long read, Map<String, Long> quarantined,
                  ObjectNode details, Runnable cleanup) {

    /** Whether {@code dir} is a dataset Trainyard's prep wrote (rather than raw input files). */
    static boolean isDataset(dev.trainyard.prep.common.Storage storage, String dir) {
        return storage.exists(dev.trainyard.prep.common.DatasetMetadata.versionDir(dir, 1) + "/"
                + dev.trainyard.prep.common.DatasetMetadata.FILE);
    }
}
