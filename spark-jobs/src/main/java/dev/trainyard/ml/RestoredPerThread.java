package dev.trainyard.ml;

import java.util.function.Supplier;

/**
 * The network restored from a broadcast, kept by the executor thread that restored it, so an executor pays for
 * restoring (parsing the configuration, building the layers, copying the weights: a large share of a small task)
 * once per thread rather than once per task. A network is not safe to share between threads, hence one per thread;
 * only the latest model is kept, so a long-lived executor does not collect old ones. Keyed by the broadcast value's
 * identity: every executor holds one deserialised instance per broadcast, and a new broadcast is a new instance.
 */
final class RestoredPerThread {
    private static final ThreadLocal<Object[]> LATEST = new ThreadLocal<>();

    private RestoredPerThread() {
    }

    @SuppressWarnings("unchecked")
    static <T> T get(Object shipped, Supplier<T> restore) {
        Object[] latest = LATEST.get();
        if (latest != null && latest[0] == shipped) {
            return (T) latest[1];
        }
        T restored = restore.get();
        LATEST.set(new Object[]{shipped, restored});
        return restored;
    }
}
