package dev.trainyard.prep.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes SYNTHETIC question pairs in Quora's TSV layout, for the demo and throughput work.
 * Duplicates ask the same intent about the same topic in other words; non-duplicates change the
 * topic or the intent (hard negatives share most words), so a model must learn which words matter.
 * Not real data: every file it writes is named as synthetic in a sidecar provenance file.
 */
public final class SyntheticPairGenerator {
    private static final List<String> TOPICS = List.of(
            "python", "java", "spark", "machine learning", "statistics", "guitar", "piano", "chess", "french",
            "german", "japanese", "cooking", "baking", "photography", "painting", "running", "swimming", "yoga",
            "investing", "stock market", "bitcoin", "real estate", "marketing", "sales", "accounting", "calculus",
            "algebra", "physics", "chemistry", "biology", "history", "philosophy", "economics", "psychology",
            "writing", "poetry", "public speaking", "negotiation", "leadership", "gardening", "woodworking",
            "electronics", "robotics", "web design", "android apps", "ios apps", "databases", "linux", "networking",
            "cloud computing", "data science", "deep learning", "astronomy", "geology", "medicine", "nursing", "law",
            "architecture", "fashion design", "film making", "music production", "drawing", "knitting", "surfing");
    /** Each intent has paraphrases; %s is the topic. */
    private static final List<List<String>> INTENTS = List.of(
            List.of("How do I learn %s?", "What is the best way to learn %s?", "How can I start learning %s?",
                    "Which is the easiest way to get into %s?"),
            List.of("How long does it take to master %s?", "How many years does it take to become an expert in %s?",
                    "What is the time needed to get really good at %s?"),
            List.of("What are good books about %s?", "Which books should I read to understand %s?",
                    "Can you recommend some books on %s?"),
            List.of("Is %s worth it as a career?", "Should I build a career in %s?",
                    "Is it a good idea to work in %s for a living?"),
            List.of("What jobs can I get with %s skills?", "Which careers use %s the most?",
                    "What kind of work needs %s?"),
            List.of("Why is %s so hard?", "What makes %s difficult for beginners?",
                    "Why do so many people struggle with %s?"),
            List.of("How much does it cost to study %s?", "What is the price of a course in %s?",
                    "How expensive is it to learn %s?"));
    private static final List<String> PREFIXES = List.of("", "", "", "Honestly, ", "As a beginner, ", "In 2017, ",
            "At my age, ", "Quick question: ");

    private SyntheticPairGenerator() {
    }

    /** @param duplicateRate fraction of pairs labelled duplicate (Quora: 0.37) */
    public static long write(Path out, long rows, double duplicateRate, long seed) {
        if (rows < 0) {
            throw new IllegalArgumentException("--rows must be >= 0, got " + rows);
        }
        if (duplicateRate < 0 || duplicateRate > 1) {
            throw new IllegalArgumentException("--duplicate-rate must be in [0,1], got " + duplicateRate);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8), 1 << 16)) {
                w.write("id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n");
                for (long i = 0; i < rows; i++) {
                    int topic = rnd.nextInt(TOPICS.size());
                    int intent = rnd.nextInt(INTENTS.size());
                    String q1 = phrase(rnd, intent, topic);
                    boolean dup = rnd.nextDouble() < duplicateRate;
                    String q2;
                    if (dup) {
                        q2 = phrase(rnd, intent, topic);
                    } else if (rnd.nextBoolean()) {
                        q2 = phrase(rnd, intent, other(rnd, topic, TOPICS.size()));
                    } else {
                        q2 = phrase(rnd, other(rnd, intent, INTENTS.size()), topic);
                    }
                    w.write(i + "\t" + (2 * i + 1) + "\t" + (2 * i + 2) + "\t" + q1 + "\t" + q2 + "\t" + (dup ? 1 : 0) + "\n");
                }
            }
            Files.writeString(out.resolveSibling(out.getFileName() + ".provenance.json"),
                    "{\n  \"synthetic\": true,\n  \"generator\": \"trainyard generate pairs\",\n  \"rows\": " + rows
                            + ",\n  \"duplicate_rate\": " + duplicateRate + ",\n  \"seed\": " + seed
                            + ",\n  \"note\": \"SYNTHETIC question pairs in Quora TSV layout; not real Quora data\"\n}\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        return rows;
    }

    private static String phrase(SplittableRandom rnd, int intent, int topic) {
        List<String> forms = INTENTS.get(intent);
        String prefix = PREFIXES.get(rnd.nextInt(PREFIXES.size()));
        String q = String.format(forms.get(rnd.nextInt(forms.size())), TOPICS.get(topic));
        return prefix.isEmpty() ? q : prefix + Character.toLowerCase(q.charAt(0)) + q.substring(1);
    }

    private static int other(SplittableRandom rnd, int current, int n) {
        return (current + 1 + rnd.nextInt(n - 1)) % n;
    }

}
