package dev.trainyard.prep.common;

import dev.trainyard.prep.images.ImageSchema;
import dev.trainyard.prep.text.PairSchema;
import dev.trainyard.prep.text.RejectReason;
import dev.trainyard.prep.video.ClipSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;

/**
 * docs/data-schemas.md, rendered from the schema classes so the page cannot drift from what prep
 * writes ({@code DataSchemasPageTest} fails when the committed page differs from this rendering).
 */
public final class DataSchemasPage {
    /** One Parquet table Trainyard writes. */
    public record Table(String title, String kind, int version, String location, String about, StructType struct, Map<String, String> descriptions) {
    }

    /** The tables prep writes; the modules after it (predictions) add theirs through {@link #render(List)}. */
    public static final List<Table> TABLES = List.of(
            new Table("Question pairs", PairSchema.DATASET_KIND, PairSchema.VERSION, "DATASET/v1/{train,dev,test}/",
                    "Written by `trainyard prep pairs`; read by `train siamese`, `evaluate`, `check memorisation`.",
                    PairSchema.STRUCT, PairSchema.DESCRIPTIONS),
            new Table("Video clips", ClipSchema.DATASET_KIND, ClipSchema.VERSION, "DATASET/v1/SPLIT/",
                    "Written by `trainyard prep video`; read by `train besnet` and `evaluate`.", ClipSchema.STRUCT, ClipSchema.DESCRIPTIONS),
            new Table("Labelled images", ImageSchema.DATASET_KIND, ImageSchema.VERSION, "DATASET/v1/SPLIT/",
                    "Written by `trainyard prep images`; read by `train ensemble`, `attack fgsm`, `evaluate`.",
                    ImageSchema.STRUCT, ImageSchema.DESCRIPTIONS),
            new Table("Quarantine", "quarantine", QuarantineSchema.VERSION, "DATASET/quarantine/",
                    "Every prep job writes one: each rejected record with the reason. Rows read = rows written + rows quarantined "
                            + "(`prep-summary.json` says so for each run).",
                    QuarantineSchema.STRUCT, QuarantineSchema.DESCRIPTIONS));

    private DataSchemasPage() {
    }

    public static String render() {
        return render(List.of());
    }

    /** The page for prep's tables and then {@code more}. */
    public static String render(List<Table> more) {
        List<Table> tables = new java.util.ArrayList<>(TABLES);
        tables.addAll(more);
        StringBuilder md = new StringBuilder();
        md.append("# Data schemas\n\n")
                .append("Generated from the schema classes (`PairSchema`, `ClipSchema`, `ImageSchema`, `QuarantineSchema`,\n")
                .append("`PredictionSchemas`) by `DataSchemasPage`; `DataSchemasPageTest` fails when this page is stale.\n")
                .append("Every dataset folder holds\n")
                .append("`_trainyard.json` (written by Trainyard; `\"complete\": true` once the job finished), `prep-summary.json`\n")
                .append("(counts, timings) and `v<version>/_dataset.json` (kind, schema version, details such as `feature_dim`).\n")
                .append("Readers check kind and version first and refuse any other.\n");
        for (Table t : tables) {
            md.append("\n## ").append(t.title()).append("\n\n")
                    .append("Kind `").append(t.kind()).append("`, schema version ").append(t.version())
                    .append(", at `").append(t.location()).append("`. ").append(t.about()).append("\n\n")
                    .append("| column | type | null | meaning |\n|---|---|---|---|\n");
            for (StructField f : t.struct().fields()) {
                String about = t.descriptions().get(f.name());
                if (about == null) {
                    throw new IllegalStateException(t.title() + ": column " + f.name() + " has no description");
                }
                md.append("| `").append(f.name()).append("` | ").append(typeName(f.dataType())).append(" | ")
                        .append(f.nullable() ? "yes" : "no").append(" | ").append(about).append(" |\n");
            }
            if (t.descriptions().size() != t.struct().fields().length) {
                throw new IllegalStateException(t.title() + ": descriptions name columns the schema does not have");
            }
        }
        md.append("\nQuarantine reasons of `prep pairs`: ");
        List<String> reasons = java.util.Arrays.stream(RejectReason.values()).map(r -> "`" + r.column() + "`").toList();
        md.append(String.join(", ", reasons)).append(". The other prep commands' reasons are listed in docs/user-guide.md.\n");
        return md.toString();
    }

    private static String typeName(DataType t) {
        if (t instanceof ArrayType a) {
            return "array&lt;" + typeName(a.elementType()) + "&gt;";
        }
        return t.simpleString().replace("<", "&lt;").replace(">", "&gt;");
    }
}
