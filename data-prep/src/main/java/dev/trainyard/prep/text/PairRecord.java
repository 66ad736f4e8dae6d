package dev.trainyard.prep.text;

import java.io.Serializable;

/**
 * One input record after parsing: either a pair (reason == null) or a rejection with its reason.
 * A mutable bean because it crosses Spark's serialisation boundary; build it through the factories.
 */
public final class PairRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    /** A quarantined record's raw value is kept whole up to this length (a line with no newline in a binary file can be huge). */
    static final int MAX_RAW_CHARS = 1 << 20;

    public String sourceFile;
    public long sourceRow;
    public String pairId;
    public String question1;
    public String question2;
    /** 0/1, or null for unlabeled data. */
    public Integer label;
    public RejectReason reason;
    public String detail;
    public String raw;

    public static PairRecord pair(String file, long row, String id, String q1, String q2, Integer label) {
        PairRecord r = new PairRecord();
        r.sourceFile = file;
        r.sourceRow = row;
        r.pairId = id;
        r.question1 = q1;
        r.question2 = q2;
        r.label = label;
        return r;
    }

    public static PairRecord reject(String file, long row, RejectReason reason, String detail, String raw) {
        PairRecord r = new PairRecord();
        r.sourceFile = file;
        r.sourceRow = row;
        r.reason = reason;
        r.detail = detail;
        r.raw = raw == null || raw.length() <= MAX_RAW_CHARS ? raw : raw.substring(0, MAX_RAW_CHARS);
        return r;
    }

    public boolean rejected() {
        return reason != null;
    }

    /** Turns this pair into a rejection, keeping where it came from. */
    public PairRecord rejectAs(RejectReason why, String whyDetail) {
        return reject(sourceFile, sourceRow, why, whyDetail, question1 + '\t' + question2);
    }
}
