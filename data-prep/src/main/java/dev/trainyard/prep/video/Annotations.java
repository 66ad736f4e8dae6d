package dev.trainyard.prep.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses annotation files into {@link VideoEntry}s; rows that cannot be used become rejections
 * with the file, row and reason. Runs on the driver: annotation files are small (Kinetics-400
 * train is 246k rows) and the listing must be complete before work is spread.
 */
public final class Annotations {
    /** Extensions tried for Kinetics ids, in order. */
    public static final List<String> VIDEO_EXTENSIONS = List.of("mp4", "webm", "mkv", "avi", "gif");

    private Annotations() {
    }

    /** A row that is not a usable entry. */
    public record Rejected(String file, long row, String videoId, String reason, String detail) {
    }

    public record Parsed(List<VideoEntry> entries, List<Rejected> rejected, long rows) {
    }

    public static Parsed parse(Path file, AnnotationFormat format, String root, ClassList classes, String splitOverride) {
        try {
            return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8), format, root, classes, splitOverride);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read annotations " + file, e);
        }
    }

    /** Parses the lines of an annotation file read from any file system. */
    public static Parsed parse(String file, List<String> lines, AnnotationFormat format, String root, ClassList classes,
                               String splitOverride) {
        return parse(file, lines, format, root, classes, splitOverride, false);
    }

    /** @param allowOutsideRoot accept rows whose files lie outside {@code root} (else they are rejected {@code outside_root}) */
    public static Parsed parse(String file, List<String> lines, AnnotationFormat format, String root, ClassList classes,
                               String splitOverride, boolean allowOutsideRoot) {
        List<VideoEntry> entries = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        long rows = 0;
        String f = file;
        for (int i = 0; i < lines.size(); i++) {
            // a byte-order mark before the header is not part of it
            String line = (i == 0 ? lines.get(i).replace("\uFEFF", "") : lines.get(i)).strip();
            long row = i + 1;
            if (line.isEmpty() || (i == 0 && format == AnnotationFormat.KINETICS_CSV && line.startsWith("label,"))) {
                continue;
            }
            rows++;
            try {
                VideoEntry e = switch (format) {
                    case KINETICS_CSV -> kinetics(f, row, line, root, classes, splitOverride);
                    case MMACTION_VIDEOS -> mmaction(f, row, line, root, classes, splitOverride, false);
                    case MMACTION_RAWFRAMES -> mmaction(f, row, line, root, classes, splitOverride, true);
                };
                if (!allowOutsideRoot) {
                    for (String c : e.candidates()) {
                        if (!RootContainment.textInside(root, c)) {
                            throw new RowException(VideoReject.OUTSIDE_ROOT, e.videoId(), RootContainment.outsideMessage(root, c));
                        }
                    }
                }
                entries.add(e);
            } catch (RowException e) {
                rejected.add(new Rejected(f, row, e.videoId, e.reason, e.getMessage()));
            }
        }
        return new Parsed(entries, rejected, rows);
    }

    static final class RowException extends Exception {
        final String reason;
        final String videoId;

        RowException(String reason, String videoId, String message) {
            super(message);
            this.reason = reason;
            this.videoId = videoId;
        }
    }

    static VideoEntry kinetics(String file, long row, String line, String root, ClassList classes, String splitOverride)
            throws RowException {
        String[] p = line.split(",", -1);
        if (p.length != 5 && p.length != 6) {
            throw new RowException(VideoReject.BAD_ANNOTATION, null, "expected 5 or 6 CSV fields (label,youtube_id,time_start,time_end,split[,is_cc]), found " + p.length);
        }
        String label = p[0].replace("\"", "").strip();
        String yid = p[1].strip();
        int start;
        int end;
        try {
            start = (int) Double.parseDouble(p[2].strip());
            end = (int) Double.parseDouble(p[3].strip());
        } catch (NumberFormatException e) {
            throw new RowException(VideoReject.BAD_ANNOTATION, yid, "time_start/time_end are not numbers: '" + p[2] + "', '" + p[3] + "'");
        }
        String id = String.format("%s_%06d_%06d", yid, start, end);
        int index = labelIndex(classes, label, id);
        List<String> candidates = new ArrayList<>();
        for (String folder : List.of("", label + "/", label.replace(' ', '_') + "/")) {
            for (String ext : VIDEO_EXTENSIONS) {
                String c = root + "/" + folder + id + "." + ext;
                if (!candidates.contains(c)) {
                    candidates.add(c);
                }
            }
        }
        String split = splitOverride != null ? splitOverride : p[4].strip();
        return new VideoEntry(id, classes.name(index), index, split, file, row, candidates, false, -1);
    }

    static VideoEntry mmaction(String file, long row, String line, String root, ClassList classes, String splitOverride,
                               boolean frames) throws RowException {
        String[] p = line.split("\\s+");
        int expected = frames ? 3 : 2;
        if (p.length != expected) {
            throw new RowException(VideoReject.BAD_ANNOTATION, null, "expected " + expected + " space-separated fields, found " + p.length);
        }
        String rel = p[0];
        String id = rel.substring(rel.lastIndexOf('/') + 1).replaceFirst("\\.[^.]+$", "");
        int index;
        int listed = -1;
        try {
            index = Integer.parseInt(p[expected - 1]);
            if (frames) {
                listed = Integer.parseInt(p[1]);
            }
        } catch (NumberFormatException e) {
            throw new RowException(VideoReject.BAD_ANNOTATION, id, "label index / frame count must be integers: '" + line + "'");
        }
        if (index < 0 || index >= classes.size()) {
            throw new RowException(VideoReject.UNKNOWN_LABEL, id, "label index " + index + " is outside the class list (0.." + (classes.size() - 1) + ")");
        }
        String path = Path.of(rel).isAbsolute() || rel.contains("://") ? rel : root + "/" + rel;
        return new VideoEntry(id, classes.name(index), index, splitOverride != null ? splitOverride : "unsplit", file, row,
                List.of(path), frames, listed);
    }

    private static int labelIndex(ClassList classes, String label, String id) throws RowException {
        int index = classes.indexOf(label);
        if (index < 0) {
            throw new RowException(VideoReject.UNKNOWN_LABEL, id, "label '" + label + "' is not in the class list");
        }
        return index;
    }
}
