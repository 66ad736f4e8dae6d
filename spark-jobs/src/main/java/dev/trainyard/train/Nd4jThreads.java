package dev.trainyard.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.Nd4jBlas;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J's OpenMP and BLAS thread counts for this JVM. Small networks lose to OpenMP start-up and
 * synchronisation (the Siamese step runs about 2x faster single-threaded on 2 cores), and several
 * Spark workers in one local JVM must share the cores instead of each taking all of them. On a
 * cluster set {@code spark.executorEnv.OMP_NUM_THREADS} per executor instead.
 */
public final class Nd4jThreads {
    private Nd4jThreads() {
    }

    public static int current() {
        Nd4j.getBackend(); // NativeOpsHolder needs the backend loaded first
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Nd4j.getBackend(); // NativeOpsHolder needs the backend loaded first
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        if (Nd4j.factory().blas() instanceof Nd4jBlas blas) {
            blas.setMaxThreads(threads);
        }
    }

    /** Threads per worker so that all workers together use the cores once (at least 1). */
    public static int fairShare(int workers) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers));
    }
}
