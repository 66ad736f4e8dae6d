package dev.trainyard.prep.text;

/** Why a record went to quarantine. The names are the values of the quarantine table's {@code reason} column. */
public enum RejectReason {
    WRONG_FIELD_COUNT,
    BAD_LABEL,
    MISSING_ID,
    UNDECODABLE_TEXT,
    TOO_SHORT,
    EMPTY_FILE,
    /** A pair id already read earlier in the same dataset. */
    DUPLICATE_ID;

    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
