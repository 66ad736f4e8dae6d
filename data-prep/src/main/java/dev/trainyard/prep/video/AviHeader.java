package dev.trainyard.prep.video;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * The frame count an AVI file's main header ({@code avih}) declares. FFmpeg counts an AVI's frames
 * from its index, which a cut file has lost, so it under-reports a truncated AVI; the main header,
 * at the start of the file, still says how many frames the whole file had.
 */
final class AviHeader {
    private AviHeader() {
    }

    /** {@code dwTotalFrames} of a local AVI file; empty for anything else. */
    static OptionalInt totalFrames(String path) {
        try (RandomAccessFile f = new RandomAccessFile(path, "r")) {
            byte[] head = new byte[(int) Math.min(f.length(), 4096)];
            f.readFully(head);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("RIFF") || !text.startsWith("AVI ", 8)) {
                return OptionalInt.empty();
            }
            int avih = text.indexOf("avih");
            // chunk id, chunk size, then dwMicroSecPerFrame, dwMaxBytesPerSec, dwPaddingGranularity, dwFlags, dwTotalFrames
            if (avih < 0 || avih + 28 > head.length) {
                return OptionalInt.empty();
            }
            int total = ByteBuffer.wrap(head, avih + 24, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            return total > 0 ? OptionalInt.of(total) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }
}
