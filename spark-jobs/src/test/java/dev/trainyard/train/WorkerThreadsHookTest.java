package dev.trainyard.train;

import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** OpenMP counts are per thread: the hook must set the count on the thread that trains, not the caller's. */
class WorkerThreadsHookTest {

    @Test
    void theTrainingThreadGetsTheCountAndOtherThreadsKeepTheirs() throws Exception {
        int mine = Nd4jThreads.current();
        int wanted = mine == 1 ? 2 : 1;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            int before = on(pool, Nd4jThreads::current);
            int after = on(pool, () -> {
                new WorkerThreadsHook(wanted).preUpdate((org.nd4j.linalg.dataset.api.MultiDataSet) null, null);
                return Nd4jThreads.current();
            });
            int untouched = on(pool, () -> {
                new WorkerThreadsHook(0).preUpdate((org.nd4j.linalg.dataset.api.MultiDataSet) null, null);
                return Nd4jThreads.current();
            });
            assertEquals(wanted, after, "the pooled thread runs with the hook's count (it had " + before + ")");
            assertEquals(wanted, untouched, "a hook with 0 leaves the thread's count");
            assertEquals(mine, Nd4jThreads.current(), "the calling thread keeps its own count");
        } finally {
            pool.shutdownNow();
        }
    }

    private static int on(ExecutorService pool, Callable<Integer> task) throws Exception {
        return pool.submit(task).get();
    }
}
