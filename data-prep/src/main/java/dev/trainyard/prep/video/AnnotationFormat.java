package dev.trainyard.prep.video;

import java.util.Arrays;
import java.util.Locale;

/** Annotation layouts for videos. */
public enum AnnotationFormat {
    /** Official Kinetics CSV: {@code label,youtube_id,time_start,time_end,split[,is_cc]}; files {@code <id>_<start:06d>_<end:06d>.<ext>}. */
    KINETICS_CSV("kinetics-csv"),
    /** mmaction VideoDataset list: {@code relative/path.mp4 label_index}. */
    MMACTION_VIDEOS("mmaction-videos"),
    /** mmaction RawframeDataset list: {@code relative/dir nframes label_index}. */
    MMACTION_RAWFRAMES("mmaction-rawframes");

    private final String cliName;

    AnnotationFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static AnnotationFormat fromCli(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.cliName.equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown annotation format '" + name
                        + "'; expected kinetics-csv, mmaction-videos or mmaction-rawframes"));
    }
}
