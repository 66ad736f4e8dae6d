package dev.trainyard.prep.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text cleaning for questions: NFKC, lower case, whitespace collapsed, then word tokens. Pure.
 * <p>
 * The rules are two regular expressions (whitespace {@code \s+} collapsed to one space, then
 * tokens {@code [\p{L}\p{N}]+(?:['\-][\p{L}\p{N}]+)*}: letter/digit runs, where an inner apostrophe
 * or hyphen keeps words like "don't" and "e-mail" whole). They are implemented as hand-written
 * scanners because prep spends a fifth of its time here; {@code TextAndSplitTest} checks them
 * against the regular expressions on random text.
 */
public final class TextNormalizer {
    /** Bumped whenever the rules change, so artifacts fitted under other rules are refused. */
    public static final int VERSION = 1;

    private TextNormalizer() {
    }

    public static String normalize(String text) {
        // ASCII is unchanged by NFKC; the normaliser's own quick check still costs a pass and a copy
        String t = isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC).replace('\u2019', '\'');
        return collapseWhitespace(t.toLowerCase(Locale.ROOT)).trim();
    }

    /** Tokens of already normalised text. */
    public static List<String> tokenize(String normalized) {
        List<String> out = new ArrayList<>();
        int n = normalized.length();
        int i = 0;
        while (i < n) {
            int cp = normalized.codePointAt(i);
            if (!isWordChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            i = skipWordChars(normalized, i);
            // a separator joins only when a word character follows it
            while (i + 1 < n && (normalized.charAt(i) == '\'' || normalized.charAt(i) == '-')
                    && isWordChar(normalized.codePointAt(i + 1))) {
                i = skipWordChars(normalized, i + 1);
            }
            out.add(normalized.substring(start, i));
        }
        return out;
    }

    /** Length used by the too-short rule: characters of the trimmed original text. */
    public static int visibleLength(String text) {
        return text == null ? 0 : text.strip().length();
    }

    /** {@code \p{L}} or {@code \p{N}}, as java.util.regex defines them. */
    static boolean isWordChar(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        }
        int type = Character.getType(cp);
        return Character.isLetter(cp) || type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    private static int skipWordChars(String s, int i) {
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!isWordChar(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** Every run of {@code \s} (space, \t, \n, \u000B, \f, \r) becomes one space. */
    private static String collapseWhitespace(String s) {
        StringBuilder b = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!isSpace(c)) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            int end = i + 1;
            while (end < n && isSpace(s.charAt(end))) {
                end++;
            }
            if (b == null) {
                if (c == ' ' && end == i + 1) {
                    continue; // already a single space
                }
                b = new StringBuilder(n).append(s, 0, i);
            }
            b.append(' ');
            i = end - 1;
        }
        return b == null ? s : b.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
