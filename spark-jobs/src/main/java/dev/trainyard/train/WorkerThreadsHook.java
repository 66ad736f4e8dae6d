package dev.trainyard.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Gives each Spark task thread that trains the local-mode thread count ({@code --threads-per-worker}).
 * OpenMP keeps a thread count per thread, so setting it on the driver thread ({@link Trainers}) does
 * not reach Spark's pooled task threads, and oneDNN's kernels (ND4J's default CPU build) read the
 * task thread's own: two workers would each run two threads on two cores. The hook runs on the task
 * thread before each update; a thread is set once (from its second minibatch on).
 */
final class WorkerThreadsHook implements TrainingHook {
    private static final long serialVersionUID = 1L;
    private static final ThreadLocal<Integer> SET = new ThreadLocal<>();
    private final int threads;

    /** @param threads ND4J threads per task thread; 0 leaves the executor's own setting */
    WorkerThreadsHook(int threads) {
        this.threads = threads;
    }

    private void apply() {
        if (threads > 0 && !Integer.valueOf(threads).equals(SET.get())) {
            Nd4jThreads.set(threads);
            SET.set(threads);
        }
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        apply();
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        apply();
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }
}
