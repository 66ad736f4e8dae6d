package dev.trainyard.prep.text;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns the fields of one record into a {@link PairRecord}. Pure; no Spark.
 * Column positions come from the file's header when it has one (so GLUE's unlabeled
 * {@code id question1 question2} test files read too), else from the format's default layout.
 */
public final class PairRecordParser implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final char BOM = '\uFEFF';
    private static final char REPLACEMENT = '\uFFFD';

    private final PairFormat format;
    private final int idCol;
    private final int id2Col;
    private final int q1Col;
    private final int q2Col;
    private final int labelCol;
    private final int fieldCount;

    private PairRecordParser(PairFormat format, int idCol, int id2Col, int q1Col, int q2Col, int labelCol, int fieldCount) {
        this.format = format;
        this.idCol = idCol;
        this.id2Col = id2Col;
        this.q1Col = q1Col;
        this.q2Col = q2Col;
        this.labelCol = labelCol;
        this.fieldCount = fieldCount;
    }

    /** The default layout of a format, used when the file has no header. */
    public static PairRecordParser defaultLayout(PairFormat format) {
        return switch (format) {
            case QUORA, KAGGLE -> new PairRecordParser(format, 0, -1, 3, 4, 5, 6);
            case MRPC -> new PairRecordParser(format, 1, 2, 3, 4, 0, 5);
            case TSV -> new PairRecordParser(format, 0, -1, 1, 2, -1, 3);
        };
    }

    /**
     * Returns the parser for a file whose first record has these fields, or null when the
     * first record is not a header (then it is data, read with the default layout).
     */
    public static PairRecordParser fromHeader(PairFormat format, String[] header) {
        List<String> cols = new ArrayList<>();
        for (String h : header) {
            cols.add(stripBom(h).trim().toLowerCase(Locale.ROOT));
        }
        if (format == PairFormat.MRPC) {
            return cols.contains("quality") && cols.contains("#1 string") ? defaultLayout(format) : null;
        }
        int q1 = cols.indexOf("question1");
        int q2 = cols.indexOf("question2");
        if (q1 < 0 || q2 < 0) {
            return null;
        }
        return new PairRecordParser(format, cols.indexOf("id"), -1, q1, q2, cols.indexOf("is_duplicate"), cols.size());
    }

    public boolean labeled() {
        return labelCol >= 0;
    }

    public PairRecord parse(String file, long row, String[] fields, String raw) {
        if (fields == null || fields.length != fieldCount) {
            int n = fields == null ? 0 : fields.length;
            return PairRecord.reject(file, row, RejectReason.WRONG_FIELD_COUNT,
                    "expected " + fieldCount + " " + format.cliName() + " fields, found " + n, raw);
        }
        for (String f : fields) {
            if (f != null && f.indexOf(REPLACEMENT) >= 0) {
                return PairRecord.reject(file, row, RejectReason.UNDECODABLE_TEXT,
                        "text is not valid UTF-8 (decoder replaced bytes with U+FFFD)", raw);
            }
        }
        String id = idCol < 0 ? file + ":" + row : nz(fields[idCol]).trim();
        if (id2Col >= 0) {
            id = id + "-" + nz(fields[id2Col]).trim();
        }
        if (id.isEmpty()) {
            return PairRecord.reject(file, row, RejectReason.MISSING_ID, "pair id is empty", raw);
        }
        Integer label = null;
        if (labelCol >= 0) {
            String l = stripBom(nz(fields[labelCol])).trim();
            if (!l.equals("0") && !l.equals("1")) {
                return PairRecord.reject(file, row, RejectReason.BAD_LABEL,
                        "label must be 0 or 1, found '" + abbreviate(l) + "'", raw);
            }
            label = l.equals("1") ? 1 : 0;
        }
        return PairRecord.pair(file, row, id, nz(fields[q1Col]), nz(fields[q2Col]), label);
    }

    /** Splits a line of an unquoted, tab-separated file (Quora TSV, MRPC). Keeps empty trailing fields. */
    public static String[] splitTsv(String line) {
        return stripTrailingCr(line).split("\t", -1);
    }

    static String stripTrailingCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    public static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == BOM ? s.substring(1) : s;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    @Override
    public String toString() {
        return "PairRecordParser" + Arrays.asList(format, idCol, q1Col, q2Col, labelCol, fieldCount);
    }
}
