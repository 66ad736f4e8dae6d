package dev.trainyard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.prep.common.Json;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

/**
 * What {@code --dry-run} reports: the validated configuration (its constructor already refused bad
 * values) and each path it names, which must parse as a path of a known file system. Whether a
 * local path exists is reported (and warned about for a missing input) but not an error, and paths
 * on other file systems (hdfs://, s3a://) are not looked up: a scheduler validates commands whose
 * inputs an earlier task has not written yet, without reaching the cluster.
 */
final class DryRun {
    /** Record components that name something the job reads. */
    private static final Set<String> INPUTS = Set.of("data", "input", "inputs", "model", "annotations", "root", "classes", "images",
            "labels", "evaluation", "init", "videos", "adversarial");
    /** Record components that name something the job writes. */
    private static final Set<String> OUTPUTS = Set.of("output", "registry");
    private static final Set<String> SCHEMES = Set.of("file", "hdfs", "viewfs", "s3a", "gs", "abfs", "abfss", "wasb", "wasbs", "ofs",
            "o3fs", "webhdfs", "swebhdfs");

    private DryRun() {
    }

    static ObjectNode report(String appName, String master, Object config) {
        ObjectNode out = Json.object();
        out.put("dry_run", true);
        out.put("command", appName);
        out.put("master", master == null ? "spark-submit's, else $MASTER, else local[*]" : master);
        if (config == null) {
            return out;
        }
        out.set("config", Json.MAPPER.valueToTree(config));
        var paths = out.putArray("paths");
        if (config.getClass().isRecord()) {
            for (RecordComponent c : config.getClass().getRecordComponents()) {
                boolean input = INPUTS.contains(c.getName());
                if (!input && !OUTPUTS.contains(c.getName())) {
                    continue;
                }
                for (String p : strings(value(c, config))) {
                    ObjectNode e = paths.addObject();
                    e.put("option", "--" + c.getName());
                    e.put("path", p);
                    e.put("role", input ? "input" : "output");
                    java.net.URI uri = parse(c.getName(), p);
                    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
                        boolean exists = Files.exists(Path.of(uri.getPath()));
                        e.put("exists", exists);
                        if (input && !exists) {
                            System.err.println("trainyard: dry run: --" + c.getName() + " " + p + " does not exist (yet)");
                        }
                    } else {
                        e.put("exists", "not checked (" + uri.getScheme() + ")");
                    }
                }
            }
        }
        return out;
    }

    private static Object value(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.List<String> strings(Object v) {
        if (v instanceof String s) {
            return java.util.List.of(s);
        }
        if (v instanceof Collection<?> c) {
            return c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return java.util.List.of();
    }

    private static java.net.URI parse(String option, String p) {
        java.net.URI uri;
        try {
            uri = new org.apache.hadoop.fs.Path(p).toUri();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + option + " " + p + " is not a valid path: " + e.getMessage(), e);
        }
        if (uri.getScheme() != null && !SCHEMES.contains(uri.getScheme())) {
            throw new IllegalArgumentException("--" + option + " " + p + ": unknown file system '" + uri.getScheme() + "' (known: "
                    + new java.util.TreeSet<>(SCHEMES) + ")");
        }
        return uri;
    }
}
