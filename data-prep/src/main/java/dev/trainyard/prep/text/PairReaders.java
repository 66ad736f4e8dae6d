package dev.trainyard.prep.text;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * Reads one input file into {@link PairRecord}s. Source rows are line numbers for the TSV formats
 * (header = line 1) and data-record numbers for Kaggle CSV, whose quoted questions may span lines.
 */
final class PairReaders {
    static final String CORRUPT = "_corrupt_record";
    static final long MIN_PARTITION_BYTES = 4L << 20;

    private PairReaders() {
    }

    /** Columns of the Kaggle CSV reader, plus Spark's corrupt-record column. */
    static StructType kaggleSchema() {
        StructType s = new StructType();
        for (String c : List.of("id", "qid1", "qid2", "question1", "question2", "is_duplicate")) {
            s = s.add(c, DataTypes.StringType, true);
        }
        return s.add(CORRUPT, DataTypes.StringType, true);
    }

    /** @param bytes the file's length, which sets the number of partitions of a TSV */
    static JavaRDD<PairRecord> read(SparkSession spark, String file, long bytes, PairFormat format) {
        return format == PairFormat.KAGGLE ? readCsv(spark, file) : readTsv(spark, file, bytes, format);
    }

    /**
     * Lines end at LF only (a CRLF line's CR is stripped with the fields; a lone CR stays inside its
     * field, so it cannot shift later row numbers). Each line is decoded strictly as UTF-8: one that
     * is not becomes an {@code undecodable_text} rejection whose raw value is its bytes in base64.
     */
    private static JavaRDD<PairRecord> readTsv(SparkSession spark, String file, long bytes, PairFormat format) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<byte[]> lines = lfLines(jsc, file, partitions(jsc.defaultParallelism(), bytes));
        List<byte[]> first = lines.take(1);
        String firstLine = first.isEmpty() ? null : RawLine.utf8(first.get(0));
        PairRecordParser header = firstLine == null ? null
                : PairRecordParser.fromHeader(format, PairRecordParser.splitTsv(firstLine));
        PairRecordParser parser = header != null ? header : PairRecordParser.defaultLayout(format);
        long skip = header != null ? 1 : 0;
        return lines.zipWithIndex()
                .filter(t -> t._2 >= skip)
                .map(t -> {
                    String line = RawLine.utf8(t._1);
                    return line == null ? PairRecord.reject(file, t._2 + 1, RejectReason.UNDECODABLE_TEXT,
                            "line is not valid UTF-8 (raw holds its bytes in base64)", RawLine.base64(t._1))
                            : parser.parse(file, t._2 + 1, PairRecordParser.splitTsv(line), line);
                });
    }

    /** The file's lines as bytes, split at LF only, through Hadoop's text input (any file system, any codec). */
    static JavaRDD<byte[]> lfLines(JavaSparkContext jsc, String file, int minPartitions) {
        JobConf conf = new JobConf(jsc.hadoopConfiguration());
        conf.set("textinputformat.record.delimiter", "\n");
        FileInputFormat.setInputPaths(conf, file);
        return jsc.hadoopRDD(conf, TextInputFormat.class, LongWritable.class, Text.class, minPartitions)
                .map(t -> java.util.Arrays.copyOf(t._2.getBytes(), t._2.getLength()));
    }

    /**
     * Two partitions per core, so a slow partition does not leave cores idle at the end of a stage,
     * but none under {@value #MIN_PARTITION_BYTES} bytes, so a small file is not cut into many tiny tasks.
     */
    static int partitions(int cores, long bytes) {
        return (int) Math.max(2, Math.min(2L * cores, bytes / MIN_PARTITION_BYTES));
    }

    private static JavaRDD<PairRecord> readCsv(SparkSession spark, String file) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> first = jsc.textFile(file).take(1);
        boolean hasHeader = !first.isEmpty()
                && PairRecordParser.fromHeader(PairFormat.KAGGLE, PairRecordParser.stripBom(first.get(0)).replace("\"", "").split(",")) != null;
        PairRecordParser parser = PairRecordParser.defaultLayout(PairFormat.KAGGLE);
        JavaRDD<Row> rows = spark.read()
                .schema(kaggleSchema())
                .option("header", hasHeader)
                .option("multiLine", true)
                .option("quote", "\"")
                .option("escape", "\"")
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .csv(file)
                .javaRDD();
        return rows.zipWithIndex().map(t -> {
            Row r = t._1;
            long row = t._2 + 1;
            String corrupt = r.getString(6);
            if (corrupt != null) {
                return PairRecord.reject(file, row, RejectReason.WRONG_FIELD_COUNT,
                        "malformed CSV record: expected 6 quoted fields", corrupt);
            }
            String[] fields = new String[6];
            for (int i = 0; i < 6; i++) {
                fields[i] = r.getString(i);
            }
            return parser.parse(file, row, fields, String.join(",", fields));
        });
    }
}
