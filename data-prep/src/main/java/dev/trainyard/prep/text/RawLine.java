package dev.trainyard.prep.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A line as its bytes: decoded strictly as UTF-8, or kept in base64 for the quarantine when it is not. */
final class RawLine {
    /** Marks a quarantine {@code raw} value holding the record's bytes in base64 rather than its text. */
    static final String BASE64_PREFIX = "base64:";

    private RawLine() {
    }

    private static final ThreadLocal<CharsetDecoder> STRICT = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));

    /** The line's text, or null when its bytes are not valid UTF-8. */
    static String utf8(byte[] bytes) {
        if (ascii(bytes)) {
            // most lines: every byte below 0x80 is valid UTF-8 and one char each
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return STRICT.get().reset().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    static String base64(byte[] bytes) {
        return BASE64_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }
}
