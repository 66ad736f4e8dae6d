package dev.trainyard.cli;

import java.util.Locale;

/** A frame size option: {@code 112} (square) or {@code 160x120} (first x second). */
record FrameSize(int first, int second) {
    static FrameSize parse(String text) {
        String[] p = text.toLowerCase(Locale.ROOT).split("x");
        try {
            int a = Integer.parseInt(p[0].trim());
            return new FrameSize(a, p.length > 1 ? Integer.parseInt(p[1].trim()) : a);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a size is N or NxM (e.g. 112 or 160x120), got '" + text + "'", e);
        }
    }
}
