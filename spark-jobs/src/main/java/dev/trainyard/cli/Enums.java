package dev.trainyard.cli;

import java.util.Arrays;
import java.util.Locale;

/** Parses kebab-case option values ("before-relu") into enum constants, with a message listing the choices. */
final class Enums {
    private Enums() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        String key = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(type.getEnumConstants()).filter(c -> c.name().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " '" + text
                        + "'; expected one of " + Arrays.stream(type.getEnumConstants())
                        .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()));
    }
}
