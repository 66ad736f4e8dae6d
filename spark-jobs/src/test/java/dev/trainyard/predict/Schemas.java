package dev.trainyard.predict;

import dev.trainyard.prep.testing.LocalSpark;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The predictions a run wrote have the columns, in order and of the types, that docs/data-schemas.md lists. */
final class Schemas {
    private Schemas() {
    }

    static void assertWritten(StructType documented, String output) {
        StructType written = LocalSpark.get().read().parquet(output + "/" + PredictJob.PREDICTIONS).schema();
        assertEquals(columns(documented), columns(written));
    }

    private static List<String> columns(StructType t) {
        return Arrays.stream(t.fields()).map(f -> f.name() + ":" + f.dataType().simpleString()).toList();
    }
}
