package dev.trainyard.ml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.eval.EnsembleEvaluateJob;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.train.ModelDir;
import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.Ensemble;
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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A ConvNet ensemble as a Spark ML model. Reads one binary column of grey pixels, row-major, height x width bytes
 * as an image dataset stores them; appends the class under the combiner (the ensemble's own by default) and the
 * combined per-class probabilities. A row whose pixels are missing or of the wrong size gets nulls.
 */
public final class ImageEnsembleModel extends TrainyardModel<ImageEnsembleModel> {
    private static final int BATCH = 500;

    private final byte[] ensemble;
    private final int height;
    private final int width;
    private final int members;
    private final int classes;
    private final Combiner own;
    private final Param<String> pixelsCol;
    private final Param<String> combiner;
    private transient Broadcast<Scoring> shipped;

    private ImageEnsembleModel(String uid, ModelSource source, byte[] ensemble, int height, int width, int members, int classes,
                               Combiner own) {
        super(uid, source);
        this.ensemble = ensemble;
        this.height = height;
        this.width = width;
        this.members = members;
        this.classes = classes;
        this.own = own;
        this.pixelsCol = new Param<>(uid, "pixelsCol", "input column: the image's grey pixels, height x width bytes, row-major");
        this.combiner = new Param<>(uid, "combiner", "how the members' outputs combine: mean, max or vote");
        setDefault(pixelsCol, "pixels");
        setDefault(combiner, own.name().toLowerCase(Locale.ROOT));
    }

    static ImageEnsembleModel create(SparkSession spark, ModelSource source) {
        return restore(spark, org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("ensemble"), source);
    }

    static ImageEnsembleModel restore(SparkSession spark, String uid, ModelSource source) {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        ModelDir dir = source.modelDir(storage);
        JsonNode spec = dir.readJson(ModelDir.MANIFEST).path("member_spec");
        try {
            byte[] bytes = EnsembleEvaluateJob.readArtifact(storage, source.dir());
            Ensemble e = Ensemble.read(new ByteArrayInputStream(bytes), source.dir());
            return new ImageEnsembleModel(uid, source, bytes, spec.path("height").asInt(28), spec.path("width").asInt(28),
                    e.members().size(), spec.path("numClasses").asInt(10), e.combiner());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ensemble in " + source.dir(), e);
        }
    }

    public static MLReader<ImageEnsembleModel> read() {
        return reader(ImageEnsembleModel.class);
    }

    public static ImageEnsembleModel load(String path) {
        return read().load(path);
    }

    public Param<String> pixelsCol() {
        return pixelsCol;
    }

    public Param<String> combiner() {
        return combiner;
    }

    public ImageEnsembleModel setPixelsCol(String name) {
        set(pixelsCol, name);
        return this;
    }

    public ImageEnsembleModel setCombiner(String name) {
        set(combiner, combinerNamed(name).name().toLowerCase(Locale.ROOT));
        return this;
    }

    private static Combiner combinerNamed(String name) {
        try {
            return Combiner.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("combiner must be mean, max or vote, got '" + name + "'");
        }
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int members() {
        return members;
    }

    public int numClasses() {
        return classes;
    }

    @Override
    protected void requireInputs(StructType schema) {
        requireColumn(schema, getOrDefault(pixelsCol), DataTypes.BinaryType, "pixelsCol");
    }

    @Override
    protected List<StructField> outputFields() {
        return List.of(DataTypes.createStructField(getPredictionCol(), DataTypes.IntegerType, true),
                DataTypes.createStructField(getProbabilityCol(), DataTypes.createArrayType(DataTypes.DoubleType, false), true));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        int px = dataset.schema().fieldIndex(getOrDefault(pixelsCol));
        Combiner how = combinerNamed(getOrDefault(combiner));
        Broadcast<Scoring> scoring = shipped(dataset.sparkSession());
        return AppendColumns.apply(dataset, out, BATCH, () -> {
            Scoring s = scoring.value();
            Ensemble restored = RestoredPerThread.get(s, s::restore);
            return batch -> s.score(restored, how, batch, px);
        });
    }

    private synchronized Broadcast<Scoring> shipped(SparkSession spark) {
        if (shipped == null) {
            shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new Scoring(ensemble, height, width));
        }
        return shipped;
    }

    @Override
    public ImageEnsembleModel copy(ParamMap extra) {
        return copyValues(new ImageEnsembleModel(uid(), source(), ensemble, height, width, members, classes, own), extra);
    }

    static int argMax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** What the executors need; each executor thread restores the ensemble once ({@link RestoredPerThread}). */
    static final class Scoring implements Serializable {
        private static final long serialVersionUID = 1L;
        final byte[] ensemble;
        final int height;
        final int width;

        Scoring(byte[] ensemble, int height, int width) {
            this.ensemble = ensemble;
            this.height = height;
            this.width = width;
        }

        Ensemble restore() {
            try {
                return Ensemble.read(new ByteArrayInputStream(ensemble), "the broadcast ensemble");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Each image's class and per-class probabilities; nulls for missing pixels or another size. */
        List<Object[]> score(Ensemble e, Combiner how, List<InternalRow> batch, int px) {
            int n = height * width;
            List<float[]> images = new ArrayList<>(batch.size());
            for (InternalRow r : batch) {
                byte[] p = r.isNullAt(px) ? null : r.getBinary(px);
                if (p != null && p.length == n) {
                    float[] f = new float[n];
                    for (int j = 0; j < n; j++) {
                        f[j] = (p[j] & 0xff) / 255f;
                    }
                    images.add(f);
                }
            }
            INDArray probs = images.isEmpty() ? null
                    : e.output(Nd4j.create(images.toArray(float[][]::new)).reshape(images.size(), 1, height, width), how);
            double[][] rows = probs == null ? new double[0][] : probs.toDoubleMatrix();
            List<Object[]> out = new ArrayList<>(batch.size());
            int next = 0;
            for (InternalRow r : batch) {
                byte[] p = r.isNullAt(px) ? null : r.getBinary(px);
                if (p == null || p.length != n) {
                    out.add(new Object[2]);
                    continue;
                }
                double[] row = rows[next++];
                out.add(new Object[]{argMax(row), UnsafeArrayData.fromPrimitiveArray(row)});
            }
            return out;
        }
    }
}
