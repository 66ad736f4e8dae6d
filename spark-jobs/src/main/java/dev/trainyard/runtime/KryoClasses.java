package dev.trainyard.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The classes Trainyard's jobs send through Spark's serializer: broadcasts, records cached
 * serialised or shuffled, task results, and what DL4J's parameter averaging ships each round
 * (its network configurations go as JSON, {@link Dl4jConfigurationSerializer}). Found by running
 * every pipeline test with Kryo warning of unregistered classes; {@code KryoRegistrationIT} and the
 * cluster tests run with registration required.
 */
final class KryoClasses {
    /** Classes named here rather than imported: Scala objects, arrays, and classes of modules not on every classpath. */
    private static final List<String> BY_NAME = List.of(
            // Trainyard
            "dev.trainyard.train.PairExample", "dev.trainyard.train.video.ClipExample", "dev.trainyard.prep.video.VideoEntry",
            "dev.trainyard.prep.video.VideoResult", "dev.trainyard.prep.video.VideoResult$Clip", "dev.trainyard.prep.text.CleanPair",
            "dev.trainyard.prep.text.PairRecord", "dev.trainyard.prep.text.RejectReason", "dev.trainyard.prep.text.FittedText",
            "dev.trainyard.train.ensemble.ImageBatches", "dev.trainyard.train.ensemble.EnsembleTrainJob$Member",
            "dev.trainyard.eval.EnsembleScoring$Counts", "dev.trainyard.eval.ClipMetrics$ClipScore",
            "dev.trainyard.ml.SiameseModel$Scoring", "dev.trainyard.train.PairFeatures", "dev.trainyard.ml.ImageEnsembleModel$Scoring",
            "dev.trainyard.ml.ClipModel$Scoring", "dev.trainyard.ml.ClipModel$Shape",
            // DL4J's Spark training and ND4J's data
            "org.deeplearning4j.spark.api.worker.NetBroadcastTuple",
            "org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple",
            "org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingWorkerStats",
            "org.deeplearning4j.spark.api.stats.CommonSparkTrainingStats", "org.deeplearning4j.spark.stats.ExampleCountEventStats",
            "org.deeplearning4j.spark.stats.BaseEventStats", "org.nd4j.linalg.dataset.DataSet", "org.nd4j.linalg.dataset.MultiDataSet",
            "[Lorg.nd4j.linalg.api.ndarray.INDArray;", "org.nd4j.linalg.api.buffer.DataType",
            // Java
            "java.util.ArrayList", "java.util.LinkedHashMap", "java.util.HashMap", "java.util.HashSet", "java.util.TreeMap",
            "java.util.concurrent.atomic.AtomicInteger", "[[J", "[[F", "[[I", "[[B", "[Ljava.lang.String;", "[Ljava.lang.Object;",
            // Spark SQL rows and cached batches, MLlib's Word2Vec vocabulary
            "org.apache.spark.sql.catalyst.expressions.GenericInternalRow", "org.apache.spark.sql.catalyst.expressions.GenericRow",
            "org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema", "org.apache.spark.unsafe.types.UTF8String",
            "org.apache.spark.sql.execution.columnar.DefaultCachedBatch", "org.apache.spark.sql.types.StructType",
            "[Lorg.apache.spark.sql.types.StructField;", "org.apache.spark.sql.types.StructField", "org.apache.spark.sql.types.Metadata",
            "org.apache.spark.sql.types.ArrayType", "org.apache.spark.sql.types.StringType$", "org.apache.spark.sql.types.IntegerType$",
            "org.apache.spark.sql.types.LongType$", "org.apache.spark.sql.types.FloatType$", "org.apache.spark.sql.types.DoubleType$",
            "org.apache.spark.sql.types.BinaryType$", "org.apache.spark.sql.types.BooleanType$",
            "org.apache.spark.mllib.feature.VocabWord", "[Lorg.apache.spark.mllib.feature.VocabWord;");

    private KryoClasses() {
    }

    /** The classes, in a fixed order (Kryo numbers registrations in order: driver and executors must agree). */
    static List<Class<?>> all() {
        List<Class<?>> out = new ArrayList<>(BY_NAME.size());
        for (String name : BY_NAME) {
            try {
                out.add(Class.forName(name, false, KryoClasses.class.getClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Kryo registration: class " + name + " is not on the classpath", e);
            }
        }
        return out;
    }
}
