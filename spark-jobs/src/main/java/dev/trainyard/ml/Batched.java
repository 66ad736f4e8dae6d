package dev.trainyard.ml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition's rows scored a minibatch at a time: pulls up to {@code size} inputs, maps them to as many outputs,
 * hands those out, and only then pulls the next minibatch, so a partition is never held in memory whole.
 */
final class Batched<I, O> implements Iterator<O> {
    private final Iterator<I> in;
    private final int size;
    private final Function<List<I>, List<O>> score;
    private Iterator<O> current = Collections.emptyIterator();

    Batched(Iterator<I> in, int size, Function<List<I>, List<O>> score) {
        this.in = in;
        this.size = size;
        this.score = score;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && in.hasNext()) {
            List<I> batch = new ArrayList<>(size);
            while (batch.size() < size && in.hasNext()) {
                batch.add(in.next());
            }
            current = score.apply(batch).iterator();
        }
        return current.hasNext();
    }

    @Override
    public O next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
