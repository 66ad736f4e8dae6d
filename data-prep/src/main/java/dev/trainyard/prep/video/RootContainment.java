package dev.trainyard.prep.video;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths read from an annotation file must stay inside {@code --root}: first by their text (".."
 * segments resolved), on the driver for every file system, then, for local files, by their real
 * location with symbolic links followed, on the executor just before the file is opened.
 */
final class RootContainment {
    private RootContainment() {
    }

    /** Whether {@code path}'s normalised text lies inside {@code root}'s. */
    static boolean textInside(String root, String path) {
        String r = normalise(root);
        String p = normalise(path);
        return p.equals(r) || p.startsWith(r.endsWith("/") ? r : r + "/");
    }

    /** For local files: whether the file, links followed, lies inside the root, links followed. Other file systems: true. */
    static boolean realInside(String root, String path) {
        if (!VideoFiles.isLocal(path) || !VideoFiles.isLocal(root)) {
            return true;
        }
        try {
            Path realRoot = Path.of(VideoFiles.localPath(root)).toRealPath();
            Path p = Path.of(VideoFiles.localPath(path));
            return !Files.exists(p) || p.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }

    static String outsideMessage(String root, String path) {
        return path + " lies outside --root " + root + " (pass --allow-outside-root to read files listed outside it)";
    }

    private static String normalise(String path) {
        URI u = URI.create(path.replace(" ", "%20")).normalize();
        String s = u.getScheme() == null ? Path.of(u.getPath()).toAbsolutePath().normalize().toString() : u.toString();
        return s.replace("%20", " ");
    }
}
