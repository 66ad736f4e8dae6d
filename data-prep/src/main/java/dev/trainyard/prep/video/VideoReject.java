package dev.trainyard.prep.video;

/** Reasons in the video quarantine table's {@code reason} column. */
public final class VideoReject {
    public static final String BAD_ANNOTATION = "bad_annotation";
    public static final String UNKNOWN_LABEL = "unknown_label";
    public static final String MISSING_FILE = "missing_file";
    public static final String EMPTY_FILE = "empty_file";
    public static final String UNREADABLE = "unreadable_video";
    public static final String TRUNCATED = "truncated_video";
    public static final String TOO_SHORT = "too_short";
    public static final String FRAME_GAP = "frame_folder_gap";
    /** A path from the annotation file that resolves outside --root. */
    public static final String OUTSIDE_ROOT = "outside_root";

    private VideoReject() {
    }
}
