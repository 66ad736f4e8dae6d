package dev.trainyard.prep.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A line as its bytes: decoded strictly as UTF-8, or kept in base64 for the quarantine when it is not. */
final class RawLine {
    /** Marks a quarantine {@code raw} value holding the record's bytes in base64 rather than its text. */
    static final String BASE64_PREFIX = "base64:";

    private RawLine() {
    }

    /** The line's text, or null when its bytes are not valid UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String base64(byte[] bytes) {
        return BASE64_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }
}
