package dev.trainyard.prep.video;

import java.io.Serializable;
import java.util.List;

/** What one listed video became: its clips, or the reason it was quarantined. */
record VideoResult(VideoEntry entry, String path, List<Clip> clips, String reason, String detail)
        implements Serializable {

    record Clip(int index, int[] frameIndices, List<byte[]> frames, double sourceFps, int sourceFrames) implements Serializable {
    }

    static VideoResult rejected(VideoEntry e, String path, String reason, String detail) {
        return new VideoResult(e, path, List.of(), reason, detail);
    }

    boolean ok() {
        return reason == null;
    }
}
