package dev.trainyard.prep.common;

import dev.trainyard.prep.testing.LocalSpark;
import dev.trainyard.prep.text.PairSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema classes are the contract between prep and training: a missing or mistyped column, or metadata field, is named. */
class DatasetContractTest {
    @TempDir
    Path tmp;

    @Test
    void aSplitWithoutAColumnOrWithAnotherTypeIsRefusedNamingTheColumn() {
        SparkSession spark = LocalSpark.get();
        String data = tmp.resolve("pairs").toString();
        StructType noVector = new StructType();
        for (var f : PairSchema.STRUCT.fields()) {
            if (!f.name().equals(PairSchema.Q2_VECTOR)) {
                noVector = noVector.add(f);
            }
        }
        Dataset<Row> df = spark.createDataFrame(List.of(), noVector);
        df.write().parquet(DatasetMetadata.splitDir(data, PairSchema.VERSION, "train"));
        var missing = assertThrows(IllegalArgumentException.class, () -> PairSchema.read(spark, data, "train"));
        assertTrue(missing.getMessage().contains("lacks column 'q2_vector'"), missing.getMessage());

        StructType stringLabel = new StructType();
        for (var f : PairSchema.STRUCT.fields()) {
            stringLabel = stringLabel.add(f.name(), f.name().equals(PairSchema.LABEL) ? DataTypes.StringType : f.dataType(), f.nullable());
        }
        spark.createDataFrame(List.<Row>of(), stringLabel).write().parquet(DatasetMetadata.splitDir(data, PairSchema.VERSION, "dev"));
        var mistyped = assertThrows(IllegalArgumentException.class, () -> PairSchema.read(spark, data, "dev"));
        assertTrue(mistyped.getMessage().contains("column 'label' is string, expected int"), mistyped.getMessage());

        spark.createDataFrame(List.<Row>of(), PairSchema.STRUCT).write().parquet(DatasetMetadata.splitDir(data, PairSchema.VERSION, "test"));
        assertEquals(0, PairSchema.read(spark, data, "test").count(), "the schema itself passes");
    }

    @Test
    void metadataWithoutAFieldReadersNeedIsRefusedNamingIt() {
        Storage storage = Storage.local();
        String data = tmp.resolve("meta").toString();
        var details = Json.object().put("vocabulary_size", 10);
        DatasetMetadata.write(storage, data, PairSchema.DATASET_KIND, PairSchema.VERSION, details);
        var e = assertThrows(IllegalArgumentException.class, () -> PairSchema.meta(storage, data));
        assertTrue(e.getMessage().contains("details.feature_dim") && e.getMessage().contains(data), e.getMessage());

        details.put("feature_dim", 16).put("artifacts", data + "/artifacts").putObject("rows_by_split").put("train", 7).put("dev", 2);
        DatasetMetadata.write(storage, data, PairSchema.DATASET_KIND, PairSchema.VERSION, details);
        PairSchema.Meta meta = PairSchema.meta(storage, data);
        assertEquals(16, meta.featureDim());
        assertEquals(7, meta.rows("train"));
        assertEquals(0, meta.rows("test"));
    }
}
