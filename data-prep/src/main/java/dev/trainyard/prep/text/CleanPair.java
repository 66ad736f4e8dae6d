package dev.trainyard.prep.text;

import java.io.Serializable;
import java.util.List;

/** A parsed pair after cleaning: normalised text, tokens and its split. */
public record CleanPair(String pairId, String sourceFile, long sourceRow, String split, Integer label,
                        String question1, String question2, List<String> tokens1, List<String> tokens2)
        implements Serializable {

    static CleanPair of(PairRecord r, SplitAssigner splits) {
        String n1 = TextNormalizer.normalize(r.question1);
        String n2 = TextNormalizer.normalize(r.question2);
        return new CleanPair(r.pairId, r.sourceFile, r.sourceRow, splits.assign(r.pairId), r.label, n1, n2,
                TextNormalizer.tokenize(n1), TextNormalizer.tokenize(n2));
    }
}
