package dev.trainyard.prep.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.ParquetWriterKind;
import dev.trainyard.prep.common.Storage;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.feature.Word2Vec;
import org.apache.spark.ml.feature.Word2VecModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fits vocabulary, IDF and word vectors on the training split, and saves/loads them as the
 * prep output's {@code artifacts/} so later files can be transformed with exactly the same fit.
 */
public final class TextFitter {
    private static final Logger LOG = LoggerFactory.getLogger(TextFitter.class);
    public static final String ARTIFACTS = "artifacts";
    /** Key under which the document-frequency pass also counts questions; never a token (tokens are non-empty). */
    private static final String DOCUMENTS = "";
    /** Share of a word-vector file's lines that may be bad before the job stops. */
    static final double MAX_BAD_VECTOR_SHARE = 0.01;

    private static final StructType VOCAB = new StructType(new StructField[]{
            new StructField("token", DataTypes.StringType, false, Metadata.empty()),
            new StructField("id", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("doc_freq", DataTypes.LongType, false, Metadata.empty()),
            new StructField("idf", DataTypes.FloatType, false, Metadata.empty())});
    private static final StructType VECTORS = new StructType(new StructField[]{
            new StructField("token", DataTypes.StringType, false, Metadata.empty()),
            new StructField("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false, Metadata.empty())});

    private TextFitter() {
    }

    /**
     * What was fitted, with the facts the summary reports, and how to write its artifacts: a new
     * fit is saved by the caller (prep writes it alongside the dataset), a loaded one has nothing to save.
     */
    public record Fit(FittedText text, ObjectNode info, java.util.function.Consumer<String> saveArtifacts) {
        /** Writes {@code artifacts/} under {@code prepDir}, the folder the prep output is being written to, for a new fit. */
        public void save(String prepDir) {
            saveArtifacts.accept(prepDir);
        }
    }

    public static Fit fit(SparkSession spark, JavaRDD<CleanPair> train, PairPrepConfig cfg) {
        int minDocFreq = cfg.minDocFreq();
        // document frequencies counted per partition in a plain map first: far fewer objects than a
        // (token, 1) tuple per occurrence through Spark's combiner
        List<Tuple2<String, Long>> df = train
                .mapPartitionsToPair(pairs -> {
                    Map<String, long[]> counts = new HashMap<>();
                    Set<String> seen = new HashSet<>();
                    long docs = 0;
                    while (pairs.hasNext()) {
                        CleanPair p = pairs.next();
                        for (List<String> question : List.of(p.tokens1(), p.tokens2())) {
                            docs++;
                            seen.clear();
                            seen.addAll(question);
                            for (String t : seen) {
                                counts.computeIfAbsent(t, k -> new long[1])[0]++;
                            }
                        }
                    }
                    List<Tuple2<String, Long>> out = new ArrayList<>(counts.size() + 1);
                    counts.forEach((t, c) -> out.add(new Tuple2<>(t, c[0])));
                    out.add(new Tuple2<>(DOCUMENTS, docs));
                    return out.iterator();
                })
                .reduceByKey(Long::sum)
                .filter(t -> t._1.equals(DOCUMENTS) || t._2 >= minDocFreq)
                .collect();
        long docs = df.stream().filter(t -> t._1.equals(DOCUMENTS)).mapToLong(Tuple2::_2).sum();
        if (docs == 0) {
            throw new IllegalArgumentException("the training split is empty: nothing to fit vocabulary and IDF on");
        }
        List<Tuple2<String, Long>> sorted = new ArrayList<>(df);
        sorted.removeIf(t -> t._1.equals(DOCUMENTS));
        sorted.sort(Comparator.<Tuple2<String, Long>>comparingLong(t -> -t._2).thenComparing(t -> t._1));
        Map<String, Integer> ids = new HashMap<>();
        float[] idf = new float[sorted.size() + 2];
        long[] docFreq = new long[sorted.size() + 2];
        for (int i = 0; i < sorted.size(); i++) {
            int id = i + 2;
            ids.put(sorted.get(i)._1, id);
            docFreq[id] = sorted.get(i)._2;
            // scikit-learn's smooth IDF, as the research notes' TfidfVectorizer used
            idf[id] = (float) (Math.log((1.0 + docs) / (1.0 + docFreq[id])) + 1.0);
        }
        ObjectNode info = Json.object();
        Map<String, float[]> vectors = cfg.vectors() != null
                ? loadVectorFile(spark, cfg.vectors(), ids.keySet(), info)
                : trainWord2Vec(spark, train, cfg);
        int dim = vectors.values().stream().findFirst().map(v -> v.length)
                .orElseThrow(() -> new IllegalArgumentException("no word of the training vocabulary has a vector"
                        + (cfg.vectors() != null ? " in " + cfg.vectors() : "")));
        float[][] byId = new float[idf.length][];
        ids.forEach((w, id) -> byId[id] = vectors.get(w));
        FittedText text = new FittedText(ids, idf, byId, dim);

        info.put("training_questions", docs);
        info.put("vocabulary_size", ids.size());
        info.put("words_with_vectors", text.wordsWithVectors());
        info.put("vector_dim", dim);
        info.put("vectors_source", cfg.vectors() != null ? cfg.vectors() : "word2vec trained on the training split");
        info.put("min_doc_freq", cfg.minDocFreq());
        info.put("normalizer_version", TextNormalizer.VERSION);
        info.put("idf", "ln((1+N)/(1+df))+1, N = training questions");
        return new Fit(text, info, dir -> save(spark, cfg.writer(), dir, sorted, idf, vectors, info));
    }

    private static Map<String, float[]> trainWord2Vec(SparkSession spark, JavaRDD<CleanPair> train, PairPrepConfig cfg) {
        StructType schema = new StructType(new StructField[]{new StructField("tokens",
                DataTypes.createArrayType(DataTypes.StringType), false, Metadata.empty())});
        // one partition in a fixed order (by pair id): MLlib's Word2Vec numbers its vocabulary in the order its input
        // partitions deliver words, and sums the vectors of several partitions in the order their shuffle blocks
        // arrive, so any other layout makes the vectors depend on the core count and on the run
        JavaRDD<Row> sentences = train.mapToPair(p -> new Tuple2<>(p.pairId(), p)).sortByKey(true, 1).values()
                .flatMap(p -> List.of(RowFactory.create((Object) p.tokens1().toArray(String[]::new)),
                        RowFactory.create((Object) p.tokens2().toArray(String[]::new))).iterator());
        Dataset<Row> corpus = spark.createDataFrame(sentences, schema);
        LOG.info("training Word2Vec ({} dims) on the training split", cfg.vectorSize());
        Word2VecModel model = new Word2Vec().setInputCol("tokens").setVectorSize(cfg.vectorSize())
                .setMinCount(cfg.minDocFreq()).setSeed(cfg.seed()).setMaxIter(1).setNumPartitions(1).fit(corpus);
        Map<String, float[]> out = new HashMap<>();
        for (Row r : model.getVectors().collectAsList()) {
            double[] v = ((Vector) r.get(1)).toArray();
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            out.put(r.getString(0), f);
        }
        return out;
    }

    /**
     * Reads a GloVe / word2vec text file (optionally with word2vec's "count dim" first line) on the
     * executors, keeping only the vectors of vocabulary words. The dimension is the one most lines
     * have. A line of another dimension, or with a value that is not a finite float (NaN, inf,
     * 1e39), is bad: never used, counted with its line number in {@code report}; more than
     * {@value #MAX_BAD_VECTOR_SHARE} of the lines bad stops the job naming the first few.
     */
    static Map<String, float[]> loadVectorFile(SparkSession spark, String path, Set<String> vocabulary, ObjectNode report) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Storage storage = new Storage(jsc.hadoopConfiguration());
        storage.requireFile(path);
        storage.requireWholeGzip(path);
        JavaPairRDD<String, Long> lines = jsc.textFile(path).zipWithIndex()
                .filter(t -> !t._1.isBlank() && !(t._2 == 0 && VectorLine.isWord2VecHeader(t._1)));
        // read three times (dimensions, bad lines, vectors): kept, serialised (a large file's strings would not fit
        // the heap as objects), rather than decompressed and split again each time
        lines.persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            return vocabularyVectors(jsc, path, lines, vocabulary, report);
        } finally {
            lines.unpersist(false);
        }
    }

    private static Map<String, float[]> vocabularyVectors(JavaSparkContext jsc, String path, JavaPairRDD<String, Long> lines,
                                                         Set<String> vocabulary, ObjectNode report) {
        Map<Integer, Long> dims = lines.map(t -> VectorLine.dimension(t._1)).countByValue();
        int d = dims.entrySet().stream().filter(e -> e.getKey() > 0).max(Map.Entry.<Integer, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(-1);
        if (d <= 0) {
            throw new IllegalArgumentException("no word vectors found in " + path + " (expected GloVe or word2vec text: 'word v1 ... vN')");
        }
        long total = dims.values().stream().mapToLong(Long::longValue).sum();
        JavaRDD<String> badLines = lines.map(t -> VectorLine.problem(t._1, d).map(why -> path + ":" + (t._2 + 1) + ": " + why).orElse(""))
                .filter(why -> !why.isEmpty());
        long bad = badLines.count();
        List<String> examples = bad == 0 ? List.of() : badLines.take(5);
        report.put("vectors_lines", total);
        report.put("vectors_bad_lines", bad);
        report.set("vectors_bad_examples", Json.MAPPER.valueToTree(examples));
        if (bad > MAX_BAD_VECTOR_SHARE * total) {
            throw new IllegalArgumentException(path + ": " + bad + " of " + total + " vector lines are bad (more than "
                    + (int) (MAX_BAD_VECTOR_SHARE * 100) + "%), e.g. " + String.join("; ", examples));
        }
        if (bad > 0) {
            LOG.warn("{}: {} of {} lines are bad and were not used, e.g. {}", path, bad, total, examples);
        }
        Broadcast<Set<String>> vocab = jsc.broadcast(new HashSet<>(vocabulary));
        List<Tuple2<String, float[]>> kept = lines.keys()
                .filter(line -> VectorLine.problem(line, d).isEmpty() && vocab.value().contains(VectorLine.word(line)))
                .map(line -> new Tuple2<>(VectorLine.word(line), VectorLine.values(line, d))).collect();
        Map<String, float[]> out = new HashMap<>();
        kept.forEach(t -> out.putIfAbsent(t._1, t._2));
        LOG.info("{}: {} of {} vocabulary words have vectors ({} dims)", path, out.size(), vocabulary.size(), d);
        return out;
    }

    private static void save(SparkSession spark, ParquetWriterKind writer, String output, List<Tuple2<String, Long>> sorted,
                             float[] idf, Map<String, float[]> vectors, ObjectNode info) {
        String dir = output + "/" + ARTIFACTS;
        List<Object[]> vocabRows = new ArrayList<>(sorted.size());
        List<Object[]> vecRows = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            String w = sorted.get(i)._1;
            vocabRows.add(new Object[]{w, i + 2, sorted.get(i)._2, idf[i + 2]});
            float[] v = vectors.get(w);
            if (v != null) {
                vecRows.add(new Object[]{w, v});
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        writer.write(spark, jsc.parallelize(vocabRows, 1), VOCAB, dir + "/vocabulary");
        writer.write(spark, jsc.parallelize(vecRows, 1), VECTORS, dir + "/vectors");
        new Storage(spark.sparkContext().hadoopConfiguration()).writeText(dir + "/fit.json", Json.write(info));
    }

    /** Loads the artifacts of an earlier prep output; nothing is refitted. */
    public static Fit load(SparkSession spark, String prepDir) {
        String dir = prepDir + "/" + ARTIFACTS;
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        if (!storage.exists(dir + "/fit.json")) {
            throw new IllegalArgumentException("--fit-from " + prepDir + " has no fitted artifacts (" + dir + "/fit.json missing)");
        }
        JsonNode info;
        try {
            info = Json.MAPPER.readTree(storage.readText(dir + "/fit.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int nv = info.path("normalizer_version").asInt(-1);
        if (nv != TextNormalizer.VERSION) {
            throw new IllegalArgumentException("--fit-from " + prepDir + " was fitted with text normaliser version " + nv
                    + "; this Trainyard uses version " + TextNormalizer.VERSION + ": refit it");
        }
        List<Row> vocab = spark.read().parquet(dir + "/vocabulary").collectAsList();
        Map<String, Integer> ids = new HashMap<>();
        float[] idf = new float[vocab.size() + 2];
        for (Row r : vocab) {
            int id = r.getInt(r.fieldIndex("id"));
            ids.put(r.getString(r.fieldIndex("token")), id);
            idf[id] = r.getFloat(r.fieldIndex("idf"));
        }
        float[][] byId = new float[idf.length][];
        int dim = info.path("vector_dim").asInt();
        for (Row r : spark.read().parquet(dir + "/vectors").collectAsList()) {
            List<Float> v = r.getList(r.fieldIndex("vector"));
            float[] f = new float[v.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = v.get(i);
            }
            byId[ids.get(r.getString(r.fieldIndex("token")))] = f;
        }
        ObjectNode copy = ((ObjectNode) info).deepCopy();
        copy.put("fitted_in", prepDir);
        return new Fit(new FittedText(ids, idf, byId, dim), copy, where -> { });
    }

}
