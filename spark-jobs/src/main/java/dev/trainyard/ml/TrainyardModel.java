package dev.trainyard.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained Trainyard model as a Spark ML {@link Model}: {@code transform} appends its prediction columns to any
 * DataFrame with the input columns its family reads, and it saves and loads with Spark ML's writers, so a fitted
 * {@code Pipeline} holding it does too. {@link #load} gives the right kind for a model folder or registry entry.
 * The model's files travel to the executors once per {@code transform}, as a broadcast.
 *
 * @param <M> the concrete model, as Spark ML's {@code Model} wants it
 */
public abstract class TrainyardModel<M extends TrainyardModel<M>> extends Model<M> implements MLWritable {
    private static final String SOURCE_FILE = "trainyard-source.json";
    static final String MODEL_FILES = "model";

    private final String uid;
    private final ModelSource source;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;

    protected TrainyardModel(String uid, ModelSource source) {
        this.uid = uid;
        this.source = source;
        this.predictionCol = new Param<>(uid, "predictionCol", "output column: the decision (0/1) or the predicted class");
        this.probabilityCol = new Param<>(uid, "probabilityCol", "output column: probability of the decision's positive class, "
                + "or one per class");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    /**
     * The model in a folder or registry entry ({@code REGISTRY/NAME[@VERSION]}, CURRENT without a version), as the
     * Spark ML model of its family. Uses the active Spark session.
     */
    public static TrainyardModel<?> load(String reference) {
        SparkSession spark = SparkSession.active();
        ModelSource source = ModelSource.resolve(new Storage(spark.sparkContext().hadoopConfiguration()), reference);
        return of(spark, source, null);
    }

    /** As {@link #load(String)}; a Siamese model reads its text fit from {@code fitFrom} (a prep output) when given. */
    public static TrainyardModel<?> of(SparkSession spark, ModelSource source, String fitFrom) {
        return switch (source.family()) {
            case "siamese" -> SiameseModel.create(spark, source, fitFrom);
            case "ensemble" -> ImageEnsembleModel.create(spark, source);
            case "besnet" -> ClipModel.create(spark, source);
            default -> throw new IllegalArgumentException("no predictions for '" + source.family() + "' models");
        };
    }

    @Override
    public String uid() {
        return uid;
    }

    public ModelSource source() {
        return source;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    @SuppressWarnings("unchecked")
    public M setPredictionCol(String name) {
        set(predictionCol, name);
        return (M) this;
    }

    @SuppressWarnings("unchecked")
    public M setProbabilityCol(String name) {
        set(probabilityCol, name);
        return (M) this;
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    /** The columns {@code transform} appends, in order. */
    protected abstract List<StructField> outputFields();

    /** Checks {@code schema} has what the family reads; names what is missing or mistyped. */
    protected abstract void requireInputs(StructType schema);

    @Override
    public StructType transformSchema(StructType schema) {
        requireInputs(schema);
        List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
        for (StructField f : outputFields()) {
            if (List.of(schema.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("output column '" + f.name() + "' is already in the DataFrame; "
                        + "choose another name with its set...Col parameter");
            }
            fields.add(f);
        }
        return new StructType(fields.toArray(StructField[]::new));
    }

    /** A column the family reads: present, and of the type it needs. */
    protected static void requireColumn(StructType schema, String name, DataType type, String param) {
        if (!List.of(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("the DataFrame has no column '" + name + "' (" + param + "); it has "
                    + List.of(schema.fieldNames()));
        }
        DataType actual = schema.apply(name).dataType();
        if (!actual.sameType(type)) {
            throw new IllegalArgumentException("column '" + name + "' (" + param + ") is " + actual.simpleString() + ", expected "
                    + type.simpleString());
        }
    }

    // ---- saving and loading, Spark ML's way: metadata with the params, plus the model's own files

    @Override
    public MLWriter write() {
        TrainyardModel<M> self = this;
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter$.MODULE$.saveMetadata(self, path, sc(), Option.empty(), Option.empty());
                Storage storage = new Storage(sc().hadoopConfiguration());
                ObjectNode s = Json.MAPPER.valueToTree(self.source);
                storage.writeText(path + "/" + SOURCE_FILE, Json.write(s));
                copyFiles(storage, self.source.dir(), path + "/" + MODEL_FILES);
                self.saveExtra(storage, path);
            }
        };
    }

    /** Files a family needs beside the model folder's (the Siamese text fit). */
    protected void saveExtra(Storage storage, String path) {
    }

    /** Reads what {@link #write()} saved: the family's model over the copied files, with the saved params. */
    protected static <T extends TrainyardModel<T>> MLReader<T> reader(Class<T> type) {
        return new MLReader<T>() {
            @Override
            public T load(String path) {
                DefaultParamsReader.Metadata md = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), type.getName());
                Storage storage = new Storage(sc().hadoopConfiguration());
                ModelSource saved;
                try {
                    JsonNode s = Json.MAPPER.readTree(storage.readText(path + "/" + SOURCE_FILE));
                    saved = new ModelSource(path + "/" + MODEL_FILES, s.path("family").asText(), s.path("name").asText(),
                            s.path("version").asText());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path + "/" + SOURCE_FILE, e);
                }
                T model = type.cast(restore(sparkSession(), md.uid(), saved, path));
                md.getAndSetParams(model, Option.empty());
                return model;
            }
        };
    }

    private static TrainyardModel<?> restore(SparkSession spark, String uid, ModelSource source, String path) {
        return switch (source.family()) {
            case "siamese" -> SiameseModel.restore(spark, uid, source, path);
            case "ensemble" -> ImageEnsembleModel.restore(spark, uid, source);
            case "besnet" -> ClipModel.restore(spark, uid, source);
            default -> throw new IllegalArgumentException(path + " holds a '" + source.family() + "' model this Trainyard cannot load");
        };
    }

    /** Copies the files (not the folders: checkpoints are for resuming, not serving) of {@code from} into {@code to}. */
    static void copyFiles(Storage storage, String from, String to) {
        try {
            FileSystem src = storage.fs(from);
            FileSystem dst = storage.fs(to);
            dst.mkdirs(new Path(to));
            for (var st : src.listStatus(new Path(from))) {
                if (st.isFile()) {
                    FileUtil.copy(src, st.getPath(), dst, new Path(to, st.getPath().getName()), false, src.getConf());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    /** Copies a folder and everything in it. */
    static void copyTree(Storage storage, String from, String to) {
        try {
            FileSystem src = storage.fs(from);
            FileUtil.copy(src, new Path(from), storage.fs(to), new Path(to), false, src.getConf());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
