package dev.trainyard.prep.common;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Refuses an output that equals, contains or lies inside one of a job's inputs: replacing such an
 * output would delete the input, and writing into an input changes what it holds. Paths are
 * compared after normalisation, with symbolic links of local paths resolved.
 */
public final class PathOverlap {
    private PathOverlap() {
    }

    /** @param inputs option name ("--data") to path; null or blank paths are skipped */
    public static void refuse(Storage storage, String outputOption, String output, Map<String, String> inputs) {
        String out = canonical(storage, output);
        for (Map.Entry<String, String> in : inputs.entrySet()) {
            if (in.getValue() == null || in.getValue().isBlank()) {
                continue;
            }
            String input = canonical(storage, in.getValue());
            String relation = out.equals(input) ? "is the same as" : input.startsWith(out + "/") ? "contains"
                    : out.startsWith(input + "/") ? "is inside" : null;
            if (relation != null) {
                throw new IllegalArgumentException(outputOption + " " + output + " " + relation + " " + in.getKey() + " "
                        + in.getValue() + ": an output must not overlap an input; choose another output folder");
            }
        }
    }

    /** scheme://authority/normalised/path, local paths absolute with their links resolved. */
    static String canonical(Storage storage, String path) {
        URI uri = URI.create(path.replace(" ", "%20")).normalize();
        String scheme = uri.getScheme();
        if (scheme == null || scheme.equals("file")) {
            return "file://" + realLocal(Path.of(scheme == null ? path : uri.getPath()));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        String q = storage.fs(path).makeQualified(p).toUri().normalize().toString();
        return q.endsWith("/") ? q.substring(0, q.length() - 1) : q;
    }

    /** The path with the symbolic links of its longest existing prefix resolved. */
    static Path realLocal(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }
}
