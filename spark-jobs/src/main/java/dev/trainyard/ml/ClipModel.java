package dev.trainyard.ml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.prep.video.ClassList;
import dev.trainyard.prep.video.ClipSchema;
import dev.trainyard.train.ModelDir;
import dev.trainyard.train.video.ClipBatches;
import dev.trainyard.train.video.ClipExample;
import dev.trainyard.zoo.io.ModelFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A clip classifier (BesNet) as a Spark ML model. Reads one column of clips, each an array of frames encoded as the
 * model's training data encoded them (JPEG or raw RGB, at its frame size and count); appends the predicted class
 * index, its name and the per-class probabilities. Averaging a video's clips is the caller's (as {@code predict}
 * does); a clip of the wrong shape gets nulls.
 */
public final class ClipModel extends TrainyardModel<ClipModel> {
    private static final int BATCH = 8;

    private final byte[] network;
    private final Shape shape;
    private final Param<String> framesCol;
    private final Param<String> predictedLabelCol;
    private transient Broadcast<Scoring> shipped;

    /** What a clip must look like for this model, and its class names. */
    public record Shape(String encoding, int frames, int height, int width, List<String> classNames) implements Serializable {
    }

    private ClipModel(String uid, ModelSource source, byte[] network, Shape shape) {
        super(uid, source);
        this.network = network;
        this.shape = shape;
        this.framesCol = new Param<>(uid, "framesCol", "input column: a clip's frames, encoded as the training data's");
        this.predictedLabelCol = new Param<>(uid, "predictedLabelCol", "output column: the predicted class's name");
        setDefault(framesCol, "frames");
        setDefault(predictedLabelCol, "predicted_label");
    }

    static ClipModel create(SparkSession spark, ModelSource source) {
        return restore(spark, org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("besnet"), source);
    }

    static ClipModel restore(SparkSession spark, String uid, ModelSource source) {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        ModelDir dir = source.modelDir(storage);
        JsonNode d = dir.readJson(ModelDir.MANIFEST).path("data").path("details");
        int classes = d.path("num_classes").asInt();
        List<String> names = new ArrayList<>();
        String classesFile = d.path("classes_file").asText("");
        if (!classesFile.isEmpty() && storage.exists(classesFile)) {
            ClassList list = ClassList.parse(classesFile, List.of(storage.readText(classesFile).split("\\r?\\n", -1)));
            for (int i = 0; i < list.size(); i++) {
                names.add(list.name(i));
            }
        }
        for (int i = names.size(); i < classes; i++) {
            names.add("class " + i);
        }
        Shape shape = new Shape(d.path("encoding").asText(), d.path("frames_per_clip").asInt(), d.path("height").asInt(),
                d.path("width").asInt(), new ArrayList<>(names));
        return new ClipModel(uid, source, ModelFiles.toBytes(dir.readModel()), shape);
    }

    public static MLReader<ClipModel> read() {
        return reader(ClipModel.class);
    }

    public static ClipModel load(String path) {
        return read().load(path);
    }

    public Param<String> framesCol() {
        return framesCol;
    }

    public Param<String> predictedLabelCol() {
        return predictedLabelCol;
    }

    public ClipModel setFramesCol(String name) {
        set(framesCol, name);
        return this;
    }

    public ClipModel setPredictedLabelCol(String name) {
        set(predictedLabelCol, name);
        return this;
    }

    public Shape shape() {
        return shape;
    }

    @Override
    protected void requireInputs(StructType schema) {
        requireColumn(schema, getOrDefault(framesCol), DataTypes.createArrayType(DataTypes.BinaryType, true), "framesCol");
    }

    @Override
    protected List<StructField> outputFields() {
        return List.of(DataTypes.createStructField(getPredictionCol(), DataTypes.IntegerType, true),
                DataTypes.createStructField(getOrDefault(predictedLabelCol), DataTypes.StringType, true),
                DataTypes.createStructField(getProbabilityCol(), DataTypes.createArrayType(DataTypes.DoubleType, false), true));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        int frames = dataset.schema().fieldIndex(getOrDefault(framesCol));
        Broadcast<Scoring> scoring = shipped(dataset.sparkSession());
        return AppendColumns.apply(dataset, out, BATCH, () -> {
            Scoring s = scoring.value();
            ComputationGraph net = RestoredPerThread.get(s, () -> ModelFiles.readGraph(s.network, "the broadcast clip model", false));
            return batch -> s.score(net, batch, frames);
        });
    }

    private synchronized Broadcast<Scoring> shipped(SparkSession spark) {
        if (shipped == null) {
            shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new Scoring(network, shape));
        }
        return shipped;
    }

    @Override
    public ClipModel copy(ParamMap extra) {
        return copyValues(new ClipModel(uid(), source(), network, shape), extra);
    }

    static final class Scoring implements Serializable {
        private static final long serialVersionUID = 1L;
        final byte[] network;
        final Shape shape;

        Scoring(byte[] network, Shape shape) {
            this.network = network;
            this.shape = shape;
        }

        /** The clip's frames when it has the model's frame count (and, raw, size); null otherwise. */
        private byte[][] frames(InternalRow r, int col) {
            if (r.isNullAt(col)) {
                return null;
            }
            ArrayData a = r.getArray(col);
            int raw = shape.height() * shape.width() * 3;
            if (a.numElements() != shape.frames()) {
                return null;
            }
            byte[][] f = new byte[a.numElements()][];
            for (int j = 0; j < f.length; j++) {
                f[j] = a.isNullAt(j) ? null : a.getBinary(j);
                if (f[j] == null || (ClipSchema.RAW.equals(shape.encoding()) && f[j].length != raw)) {
                    return null;
                }
            }
            return f;
        }

        /** Each clip's class index, name and per-class probabilities; nulls for a clip of another shape. */
        List<Object[]> score(ComputationGraph net, List<InternalRow> batch, int col) {
            List<ClipExample> clips = new ArrayList<>(batch.size());
            List<byte[][]> frames = new ArrayList<>(batch.size());
            for (InternalRow r : batch) {
                byte[][] f = frames(r, col);
                frames.add(f);
                if (f != null) {
                    clips.add(new ClipExample("", 0, 0, shape.encoding(), shape.height(), shape.width(), f));
                }
            }
            double[][] probs = clips.isEmpty() ? new double[0][]
                    : net.outputSingle(false, ClipBatches.toMultiDataSet(clips, shape.classNames().size()).getFeatures(0)).toDoubleMatrix();
            List<Object[]> out = new ArrayList<>(batch.size());
            int next = 0;
            for (byte[][] f : frames) {
                if (f == null) {
                    out.add(new Object[3]);
                    continue;
                }
                double[] p = probs[next++];
                int best = ImageEnsembleModel.argMax(p);
                out.add(new Object[]{best, UTF8String.fromString(shape.classNames().get(best)), UnsafeArrayData.fromPrimitiveArray(p)});
            }
            return out;
        }
    }
}
