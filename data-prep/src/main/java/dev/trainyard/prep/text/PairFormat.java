package dev.trainyard.prep.text;

import java.util.Arrays;
import java.util.Locale;

/** The question-pair file layouts Trainyard reads. */
public enum PairFormat {
    /** Quora's original release and GLUE QQP: tab-separated {@code id qid1 qid2 question1 question2 is_duplicate}. */
    QUORA("quora", '\t'),
    /** Kaggle's train.csv: quoted CSV, doubled quotes inside, questions may span lines. */
    KAGGLE("kaggle", ','),
    /** Microsoft Research Paraphrase Corpus: {@code Quality #1 ID #2 ID #1 String #2 String}, UTF-8 with BOM. */
    MRPC("mrpc", '\t'),
    /**
     * Plain tab-separated {@code id question1 question2}, no labels (pairs to score); with a header naming
     * {@code question1} and {@code question2} (and optionally {@code id}, {@code is_duplicate}), its columns instead.
     */
    TSV("tsv", '\t');

    private final String cliName;
    private final char separator;

    PairFormat(String cliName, char separator) {
        this.cliName = cliName;
        this.separator = separator;
    }

    public String cliName() {
        return cliName;
    }

    public char separator() {
        return separator;
    }

    public static PairFormat fromCli(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.cliName.equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown pair format '" + name
                        + "'; expected one of quora, kaggle, mrpc, tsv"));
    }
}
