package dev.trainyard.prep.common;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

import java.io.IOException;
import java.util.Locale;

/**
 * Writes an RDD of rows ({@code Object[]} in schema order) as a Parquet directory with
 * {@link ColumnarParquetWriter}, through Spark's Hadoop commit protocol: each task attempt writes
 * its own file under {@code _temporary}, files are moved into place when the job commits, and
 * {@code _SUCCESS} marks a complete directory, as with Spark's DataFrame writer. Files are named
 * {@code part-*}. Compression is the session's {@code spark.sql.parquet.compression.codec}.
 */
public final class ColumnarParquetOutputFormat extends FileOutputFormat<Void, Object[]> {
    static final String SCHEMA = "trainyard.columnar-parquet.schema";
    static final String CODEC = "trainyard.columnar-parquet.codec";
    static final String ROW_GROUP_SIZE = "parquet.block.size";
    static final String PAGE_SIZE = "parquet.page.size";

    /** Writes {@code rows} to {@code dir}, which must not exist yet. */
    public static void save(SparkSession spark, JavaRDD<Object[]> rows, StructType schema, String dir) {
        Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
        conf.set(SCHEMA, schema.json());
        conf.set(CODEC, codec(spark.conf().get("spark.sql.parquet.compression.codec", "snappy")).name());
        // progress lines name the stage by its call site ("runJob at SparkHadoopWriter.scala" otherwise)
        spark.sparkContext().setCallSite("write " + new Path(dir).getName() + " (columnar Parquet)");
        try {
            rows.mapToPair(r -> new Tuple2<Void, Object[]>(null, r))
                    .saveAsNewAPIHadoopFile(dir, Void.class, Object[].class, ColumnarParquetOutputFormat.class, conf);
        } finally {
            spark.sparkContext().clearCallSite();
        }
    }

    /** Spark's codec names to parquet-mr's ("none" and "uncompressed" both mean no compression). */
    static CompressionCodecName codec(String sparkName) {
        String n = sparkName.toUpperCase(Locale.ROOT);
        return n.equals("NONE") ? CompressionCodecName.UNCOMPRESSED : CompressionCodecName.valueOf(n);
    }

    @Override
    public RecordWriter<Void, Object[]> getRecordWriter(TaskAttemptContext context) throws IOException {
        Configuration conf = context.getConfiguration();
        StructType schema = (StructType) DataType.fromJson(conf.get(SCHEMA));
        CompressionCodecName codec = CompressionCodecName.valueOf(conf.get(CODEC, CompressionCodecName.SNAPPY.name()));
        Path path = getDefaultWorkFile(context, codec.getExtension() + ".parquet");
        ColumnarParquetWriter writer = new ColumnarParquetWriter(HadoopOutputFile.fromPath(path, conf), schema, codec, conf,
                conf.getLong(ROW_GROUP_SIZE, ColumnarParquetWriter.DEFAULT_ROW_GROUP_SIZE),
                conf.getInt(PAGE_SIZE, ColumnarParquetWriter.DEFAULT_PAGE_SIZE));
        return new RecordWriter<>() {
            @Override
            public void write(Void key, Object[] row) throws IOException {
                writer.write(row);
            }

            @Override
            public void close(TaskAttemptContext ctx) throws IOException {
                writer.close();
            }
        };
    }
}
