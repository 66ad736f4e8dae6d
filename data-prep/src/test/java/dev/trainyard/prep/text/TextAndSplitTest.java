package dev.trainyard.prep.text;

import org.junit.jupiter.api.Test;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextAndSplitTest {

    @Test
    void normaliserLowercasesFoldsWidthAndKeepsContractions() {
        assertEquals("what's the best way", TextNormalizer.normalize("  What’s   the ｂest\tway "), "NFKC folds the full-width b");
        assertEquals(List.of("what's", "the", "best", "e-mail", "2017"),
                TextNormalizer.tokenize(TextNormalizer.normalize("What’s the BEST e-mail?! (2017)")));
    }

    /** The scanners are the regular expressions the rules are written as, on random mixed-script text. */
    @Test
    void normaliserAndTokeniserEqualTheirRegularExpressionsOnRandomText() {
        Pattern space = Pattern.compile("\\s+");
        Pattern token = Pattern.compile("[\\p{L}\\p{N}]+(?:['\\-][\\p{L}\\p{N}]+)*");
        String[] pieces = {"a", "Z", "7", "é", "Ä", "ß", "İ", "ｂ", "①", "Ⅻ", "٣", "中", "\uD835\uDC00", "\uD83D\uDE00",
                "'", "-", "’", " ", "  ", "\t", "\n", "\r", "\u000B", "\f", "\u00A0", "\u0001", "?", "_", ".", "--", "''"};
        Random rnd = new Random(11);
        for (int n = 0; n < 20000; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = rnd.nextInt(14); k > 0; k--) {
                b.append(pieces[rnd.nextInt(pieces.length)]);
            }
            String raw = b.toString();
            String expected = space.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKC).replace('\u2019', '\'')
                    .toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
            String normalized = TextNormalizer.normalize(raw);
            assertEquals(expected, normalized, () -> "normalize(" + raw + ")");
            List<String> tokens = new ArrayList<>();
            Matcher m = token.matcher(raw);
            while (m.find()) {
                tokens.add(m.group());
            }
            assertEquals(tokens, TextNormalizer.tokenize(raw), () -> "tokenize(" + raw + ")");
        }
    }

    @Test
    void splitIsAFunctionOfIdAndSeedOnlyAndFollowsTheFractions() {
        SplitAssigner a = new SplitAssigner(new SplitFractions(0.8, 0.1, 0.1), 7);
        SplitAssigner again = new SplitAssigner(new SplitFractions(0.8, 0.1, 0.1), 7);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20000; i++) {
            String s = a.assign("id" + i);
            assertEquals(s, again.assign("id" + i));
            counts.merge(s, 1, Integer::sum);
        }
        assertEquals(0.8, counts.get("train") / 20000.0, 0.015);
        assertEquals(0.1, counts.get("dev") / 20000.0, 0.01);
        SplitAssigner other = new SplitAssigner(new SplitFractions(0.8, 0.1, 0.1), 8);
        long moved = java.util.stream.IntStream.range(0, 1000).filter(i -> !other.assign("id" + i).equals(a.assign("id" + i))).count();
        assertNotEquals(0, moved, "another seed gives another split");
    }

    @Test
    void splitFractionsParseAndValidate() {
        assertEquals(SplitFractions.ALL_TEST, SplitFractions.parse("test"));
        assertEquals(new SplitFractions(0.7, 0.2, 0.1), SplitFractions.parse("0.7,0.2,0.1"));
        assertThrows(IllegalArgumentException.class, () -> SplitFractions.parse("0.7,0.2"));
        assertThrows(IllegalArgumentException.class, () -> SplitFractions.parse("0.7,0.2,0.2"));
    }

    @Test
    void weightedMeanIsTheIdfWeightedAverageOfKnownWords() {
        Map<String, Integer> ids = Map.of("cat", 2, "dog", 3, "rare", 4);
        float[] idf = {0, 0, 1f, 1f, 3f};
        float[][] vec = {null, null, {1, 0}, {0, 1}, null};
        FittedText t = new FittedText(ids, idf, vec, 2);
        assertArrayEquals(new int[]{2, 3, 1}, t.tokenIds(List.of("cat", "dog", "unknown")));
        assertArrayEquals(new float[]{0.5f, 0.5f}, t.weightedMean(t.tokenIds(List.of("cat", "dog", "unknown", "rare"))), 1e-6f);
        // term frequency counts: "cat cat dog" weighs cat twice
        assertArrayEquals(new float[]{2f / 3, 1f / 3}, t.weightedMean(t.tokenIds(List.of("cat", "cat", "dog"))), 1e-6f);
        assertArrayEquals(new float[]{0, 0}, t.weightedMean(t.tokenIds(List.of("nothing", "known"))));
    }
}
