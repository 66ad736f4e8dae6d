package dev.trainyard.prep.video;

/** A video that cannot give a clip, with the quarantine reason. */
public final class VideoDecodeException extends Exception {
    private final String reason;

    public VideoDecodeException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public VideoDecodeException(String reason, String message) {
        this(reason, message, null);
    }

    public String reason() {
        return reason;
    }
}
