package dev.trainyard.prep.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code _dataset.json} beside every versioned dataset: kind, schema version, and what the
 * writer knew (feature dimension, counts, provenance). Readers check kind and version before
 * touching the Parquet, as Spark MLlib's readers branch on the saved version.
 * Layout: {@code <dataset>/v<schemaVersion>/<split>/}.
 */
public final class DatasetMetadata {
    public static final String FILE = "_dataset.json";
    private static final Pattern VERSION_DIR = Pattern.compile("v(\\d+)");

    private DatasetMetadata() {
    }

    public static String versionDir(String dataset, int version) {
        return Storage.stripSlash(dataset) + "/v" + version;
    }

    public static String splitDir(String dataset, int version, String split) {
        return versionDir(dataset, version) + "/" + split;
    }

    public static void write(Storage storage, String dataset, String kind, int version, ObjectNode details) {
        ObjectNode meta = Json.object();
        meta.put("kind", kind);
        meta.put("schema_version", version);
        meta.set("details", details);
        storage.writeText(versionDir(dataset, version) + "/" + FILE, Json.write(meta));
    }

    /**
     * Reads and checks the metadata of a dataset this build can read, or fails with a message that
     * names the dataset, the version found and the version expected.
     */
    public static JsonNode require(Storage storage, String dataset, String kind, int version) {
        OutputDir.requireComplete(storage, dataset, "dataset");
        String metaPath = versionDir(dataset, version) + "/" + FILE;
        if (!storage.exists(metaPath)) {
            List<Integer> found = versionsPresent(storage, dataset);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no " + kind + " dataset at " + dataset
                        + " (expected " + metaPath + "); create one with trainyard prep");
            }
            throw new IllegalArgumentException("dataset at " + dataset + " has schema version " + found
                    + " but this Trainyard reads " + kind + " schema version " + version
                    + "; re-run trainyard prep with this version to rewrite it");
        }
        try {
            JsonNode meta = Json.MAPPER.readTree(storage.readText(metaPath));
            int v = meta.path("schema_version").asInt(-1);
            String k = meta.path("kind").asText("");
            if (!kind.equals(k)) {
                throw new IllegalArgumentException("dataset at " + dataset + " is a '" + k + "' dataset, expected '" + kind + "'");
            }
            if (v != version) {
                throw new IllegalArgumentException("dataset at " + dataset + " has schema version " + v
                        + " but this Trainyard reads " + kind + " schema version " + version
                        + "; re-run trainyard prep with this version to rewrite it");
            }
            return meta;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + metaPath, e);
        }
    }

    /**
     * One split of a dataset as Parquet; a split the dataset does not have is a clear error naming
     * the splits it has (not Spark's "path does not exist").
     */
    public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> readSplit(org.apache.spark.sql.SparkSession spark,
                                                                              String dataset, int version, String split) {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        String dir = splitDir(dataset, version, split);
        if (!storage.exists(dir)) {
            List<String> present = new ArrayList<>(storage.listDirs(versionDir(dataset, version)));
            java.util.Collections.sort(present);
            throw new IllegalArgumentException("dataset " + dataset + " has no split '" + split + "' (it has: "
                    + (present.isEmpty() ? "none" : String.join(", ", present)) + ")");
        }
        return spark.read().parquet(dir);
    }

    /** One split of a dataset of {@code kind}, its columns checked against {@code struct} ({@link #requireColumns}). */
    public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> readChecked(org.apache.spark.sql.SparkSession spark, String dataset,
                                                                                   String split, String kind, int version,
                                                                                   org.apache.spark.sql.types.StructType struct) {
        var df = readSplit(spark, dataset, version, split);
        requireColumns(df, struct, kind, "dataset " + dataset + " split " + split);
        return df;
    }

    /**
     * Checks that a split read from {@code where} has every column of {@code expected} with its type
     * (nullability aside), naming the first missing or mistyped one and what a dataset of that kind
     * has; columns beyond those are allowed.
     */
    public static void requireColumns(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df,
                                      org.apache.spark.sql.types.StructType expected, String kind, String where) {
        java.util.Map<String, org.apache.spark.sql.types.DataType> found = new java.util.HashMap<>();
        for (org.apache.spark.sql.types.StructField f : df.schema().fields()) {
            found.put(f.name(), f.dataType());
        }
        for (org.apache.spark.sql.types.StructField f : expected.fields()) {
            org.apache.spark.sql.types.DataType t = found.get(f.name());
            if (t == null) {
                throw new IllegalArgumentException(where + " lacks column '" + f.name() + "' (a " + kind + " dataset has "
                        + String.join(", ", expected.fieldNames()) + "); re-run trainyard prep to rewrite it");
            }
            if (!t.simpleString().equals(f.dataType().simpleString())) {
                throw new IllegalArgumentException(where + ": column '" + f.name() + "' is " + t.simpleString() + ", expected "
                        + f.dataType().simpleString() + " (see docs/data-schemas.md)");
            }
        }
    }

    /** A number the writer recorded in {@code details}, or a clear error naming the dataset and the field. */
    public static long requireNumber(JsonNode details, String field, String dataset) {
        JsonNode v = details.path(field);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("dataset " + dataset + ": " + FILE + " has no number at details." + field
                    + "; re-run trainyard prep to rewrite it");
        }
        return v.asLong();
    }

    /** Counts per split that the writer recorded in {@code details.field} (empty when absent). */
    public static java.util.Map<String, Long> counts(JsonNode details, String field) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        details.path(field).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return java.util.Collections.unmodifiableMap(out);
    }

    private static List<Integer> versionsPresent(Storage storage, String dataset) {
        List<Integer> out = new ArrayList<>();
        for (String name : storage.listDirs(dataset)) {
            Matcher m = VERSION_DIR.matcher(name);
            if (m.matches()) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        return out;
    }
}
