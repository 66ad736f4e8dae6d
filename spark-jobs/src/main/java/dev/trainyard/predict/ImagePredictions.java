package dev.trainyard.predict;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.ml.ImageEnsembleModel;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.QuarantineSchema;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.images.ImagePrepConfig;
import dev.trainyard.prep.images.ImagePrepJob;
import dev.trainyard.prep.images.ImageSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple3;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Images to predict: IDX image files (gzipped or not, with or without their label files), read as
 * {@code prep images} reads them, or a {@code prep images} output. An image of another size than the ensemble's
 * is quarantined ({@value #WRONG_SIZE}).
 */
final class ImagePredictions {
    static final String WRONG_SIZE = "wrong_size";
    /** What an image carries into its prediction row. */
    static final StructType INPUT = new StructType()
            .add("source_file", DataTypes.StringType, false)
            .add("index", DataTypes.LongType, false)
            .add("label", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, false)
            .add("width", DataTypes.IntegerType, false)
            .add("pixels", DataTypes.BinaryType, false);

    private ImagePredictions() {
    }

    static Prediction predict(SparkSession spark, Storage storage, ImageEnsembleModel model, PredictConfig cfg) {
        ImageEnsembleModel m = cfg.combiner() == null ? model : model.copy(new org.apache.spark.ml.param.ParamMap()).setCombiner(cfg.combiner());
        ObjectNode details = Json.object();
        details.put("combiner", m.getOrDefault(m.combiner()));
        details.put("members", m.members());
        Dataset<Row> images;
        Dataset<Row> rejected;
        long read;
        Map<String, Long> perReason = new TreeMap<>();
        Runnable cleanup = () -> { };
        if (cfg.inputs().size() == 1 && Prediction.isDataset(storage, cfg.inputs().get(0))) {
            String data = cfg.inputs().get(0);
            ImageSchema.Meta meta = ImageSchema.meta(storage, data);
            Dataset<Row> all = null;
            for (String split : meta.rowsBySplit().keySet()) {
                Dataset<Row> s = ImageSchema.read(spark, data, split);
                all = all == null ? s : all.unionByName(s);
            }
            if (all == null) {
                throw new IllegalArgumentException(data + " has no images to predict");
            }
            images = all.select(col("source_file"), col("index"), col("label"), col("height"), col("width"), col("pixels"));
            rejected = spark.createDataFrame(List.of(), QuarantineSchema.STRUCT);
            read = images.count();
            details.put("input", "image dataset " + data);
        } else {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<String> files = cfg.inputs();
            List<String> labels = cfg.labels();
            int classes = model.numClasses();
            JavaRDD<Tuple3<Boolean, Row, Long>> out = jsc.parallelize(IntStream.range(0, files.size()).boxed().toList(), files.size())
                    .flatMap(i -> (labels.isEmpty() ? unlabelled(files.get(i))
                            : labelled(files.get(i), labels.get(i), classes)).iterator())
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            images = spark.createDataFrame(out.filter(Tuple3::_1).map(Tuple3::_2), INPUT);
            rejected = spark.createDataFrame(out.filter(t -> !t._1()).map(Tuple3::_2), QuarantineSchema.STRUCT);
            read = out.map(Tuple3::_3).fold(0L, Long::sum);
            perReason.putAll(out.filter(t -> !t._1()).mapToPair(t -> new scala.Tuple2<>(t._2().getString(2), t._3()))
                    .reduceByKey(Long::sum).collectAsMap());
            details.put("input", "IDX image files" + (labels.isEmpty() ? "" : " with their label files"));
            cleanup = () -> out.unpersist(false);
        }
        // a size the ensemble was not trained on cannot be scored: quarantined, with the sizes in the detail
        Dataset<Row> fits = images.filter(col("height").equalTo(m.height()).and(col("width").equalTo(m.width())));
        Dataset<Row> wrong = images.filter(col("height").notEqual(m.height()).or(col("width").notEqual(m.width())));
        long wrongCount = wrong.count();
        if (wrongCount > 0) {
            perReason.merge(WRONG_SIZE, wrongCount, Long::sum);
            rejected = rejected.unionByName(wrong.select(col("source_file"), col("index").as("source_row"), lit(WRONG_SIZE).as("reason"),
                    org.apache.spark.sql.functions.concat(lit("image is "), col("height"), lit(" x "), col("width"),
                            lit("; the ensemble reads " + m.height() + " x " + m.width())).as("detail"),
                    lit(null).cast(DataTypes.StringType).as("raw")));
        }
        Dataset<Row> scored = m.transform(PredictJob.spread(spark, fits))
                .select(col("source_file"), col("index"), col("label"), col(m.getPredictionCol()), col(m.getProbabilityCol()));
        return new Prediction(scored, rejected, "images", read, perReason, details, cleanup);
    }

    private static List<Tuple3<Boolean, Row, Long>> unlabelled(String file) throws java.io.IOException {
        return ImagePrepJob.readImages(file).stream().map(t -> !t._1() ? t : new Tuple3<>(true, RowFactory.create(t._2().get(0),
                t._2().get(1), null, t._2().get(2), t._2().get(3), t._2().get(4)), t._3())).toList();
    }

    /** IDX images with labels, as prep reads them ({@link ImageSchema#STRUCT} rows), cut to {@link #INPUT}. */
    private static List<Tuple3<Boolean, Row, Long>> labelled(String file, String labels, int classes) throws java.io.IOException {
        ImagePrepConfig cfg = new ImagePrepConfig(List.of(file), List.of(labels), "(predict)", "predict", 0, classes, 42, false);
        return ImagePrepJob.readPair(file, labels, cfg).stream().map(t -> !t._1() ? t : new Tuple3<>(true, RowFactory.create(
                t._2().get(0), t._2().get(1), t._2().get(3), t._2().get(4), t._2().get(5), t._2().get(6)), t._3())).toList();
    }
}
