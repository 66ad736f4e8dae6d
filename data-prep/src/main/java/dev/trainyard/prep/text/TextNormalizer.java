package dev.trainyard.prep.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text cleaning for questions: NFKC, lower case, whitespace collapsed, then word tokens. Pure. */
public final class TextNormalizer {
    /** Bumped whenever the rules change, so artifacts fitted under other rules are refused. */
    public static final int VERSION = 1;
    private static final Pattern SPACE = Pattern.compile("\\s+");
    /** Letters/digits runs; an inner apostrophe or hyphen keeps words like "don't" and "e-mail" whole. */
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:['\\-][\\p{L}\\p{N}]+)*");

    private TextNormalizer() {
    }

    public static String normalize(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).replace('\u2019', '\'');
        return SPACE.matcher(t.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    }

    /** Tokens of already normalised text. */
    public static List<String> tokenize(String normalized) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(normalized);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Length used by the too-short rule: characters of the trimmed original text. */
    public static int visibleLength(String text) {
        return text == null ? 0 : text.strip().length();
    }
}
