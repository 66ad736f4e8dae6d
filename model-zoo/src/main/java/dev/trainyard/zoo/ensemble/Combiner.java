package dev.trainyard.zoo.ensemble;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** How an ensemble turns its members' class probabilities [N, C] into one score table [N, C]. */
public enum Combiner {
    /** The average of the members' probabilities. */
    MEAN,
    /** For each example, the probabilities of the member most confident about it (highest top probability). */
    MAX,
    /** The share of members voting for each class (argmax); ties go to the lower class index at argmax. */
    VOTE;

    public INDArray combine(List<INDArray> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        long n = members.get(0).size(0);
        long c = members.get(0).size(1);
        INDArray out = Nd4j.zeros(members.get(0).dataType(), n, c);
        switch (this) {
            case MEAN -> {
                members.forEach(out::addi);
                out.divi(members.size());
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    double top = -1;
                    for (int m = 0; m < members.size(); m++) {
                        double v = members.get(m).getRow(i).maxNumber().doubleValue();
                        if (v > top) {
                            top = v;
                            best = m;
                        }
                    }
                    out.putRow(i, members.get(best).getRow(i));
                }
            }
            default -> {
                for (INDArray m : members) {
                    INDArray arg = m.argMax(1);
                    for (int i = 0; i < n; i++) {
                        int k = arg.getInt(i);
                        out.putScalar(i, k, out.getDouble(i, k) + 1.0 / members.size());
                    }
                }
            }
        }
        return out;
    }
}
