package dev.trainyard.prep.common;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a Trainyard output folder may hold, so {@link OutputDir} can tell one it wrote from a folder
 * holding anything else: the names at its top level, the file names below it (Parquet parts, JSON,
 * model zips, Hadoop's sidecars), and the file an older Trainyard left as its mark.
 */
public enum OutputKind {
    /** A prep output: versioned splits, quarantine, fitted text artifacts, the summary. */
    DATASET(Pattern.compile("v\\d+|quarantine|artifacts"), Pattern.compile("prep-summary\\.json|_SUCCESS"), List.of("prep-summary.json")),
    /** A model folder: the model, its manifest, metrics and checkpoints. */
    MODEL(Pattern.compile("checkpoints"),
            Pattern.compile("model\\.zip|ensemble\\.zip|manifest\\.json|metrics\\.json|decision-rule\\.json|evaluation.*\\.(json|html)"),
            List.of("manifest.json")),
    /** A prediction run: the predictions, the rejected inputs, the summary. */
    PREDICTIONS(Pattern.compile("predictions|quarantine"), Pattern.compile("predict-summary\\.json|_SUCCESS"),
            List.of("predict-summary.json")),
    /** A memorisation check: its two datasets and models, and the verdict. */
    CHECK(Pattern.compile("(real|shuffled)-labels-(data|model)"), Pattern.compile("memorisation\\.(json|html)"),
            List.of("memorisation.json"));

    private static final Pattern HIDDEN_SIDECAR = Pattern.compile("\\..+\\.(crc|tmp)");
    private static final Pattern INNER_FILE = Pattern.compile("part-.*|_SUCCESS|_committed_.*|_started_.*|.*\\.(json|parquet|zip|html|sha256)|LATEST");

    private final Pattern topDirs;
    private final Pattern topFiles;
    private final List<String> legacyMarker;

    OutputKind(Pattern topDirs, Pattern topFiles, List<String> legacyMarker) {
        this.topDirs = topDirs;
        this.topFiles = topFiles;
        this.legacyMarker = legacyMarker;
    }

    /** Files whose presence says an older Trainyard, without {@link OutputDir#MARKER}, wrote the folder. */
    public List<String> legacyMarker() {
        return legacyMarker;
    }

    boolean topLevel(String name, boolean directory) {
        if (directory) {
            return topDirs.matcher(name).matches() || name.equals("_temporary");
        }
        return name.equals(OutputDir.MARKER) || topFiles.matcher(name).matches() || HIDDEN_SIDECAR.matcher(name).matches();
    }

    /** Below the top level any folder name is a split or partition; files must be ones Trainyard or Spark write. */
    static boolean innerFile(String name, boolean directory) {
        return directory || INNER_FILE.matcher(name).matches() || HIDDEN_SIDECAR.matcher(name).matches();
    }
}
