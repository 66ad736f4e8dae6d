package dev.trainyard.prep.video;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Class names, one per line; the line number (from 0) is the label index, so indices are stable
 * across runs and splits. "arm wrestling", "arm_wrestling" and "Arm Wrestling" name the same class.
 */
public final class ClassList implements Serializable {
    private static final long serialVersionUID = 1L;
    private final List<String> names;
    private final Map<String, Integer> index = new HashMap<>();

    public ClassList(List<String> names) {
        this.names = List.copyOf(names);
        for (int i = 0; i < names.size(); i++) {
            if (index.put(key(names.get(i)), i) != null) {
                throw new IllegalArgumentException("class '" + names.get(i) + "' is listed twice (line " + (i + 1) + ")");
            }
        }
    }

    public static ClassList read(Path file) {
        try {
            return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class list " + file, e);
        }
    }

    /** From the lines of a class-list file read from any file system; blank lines are skipped. */
    public static ClassList parse(String file, List<String> lines) {
        List<String> names = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("class list " + file + " is empty");
        }
        return new ClassList(names);
    }

    static String key(String label) {
        return label.strip().toLowerCase(Locale.ROOT).replace('_', ' ').replaceAll("\\s+", " ");
    }

    /** The label's index, or -1 when it is not in the list. */
    public int indexOf(String label) {
        return index.getOrDefault(key(label), -1);
    }

    public String name(int i) {
        return names.get(i);
    }

    public int size() {
        return names.size();
    }
}
