package dev.trainyard.prep.common;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Logs stage progress (tasks done of total, rate, ETA) at most every few seconds, so long
 * prep and scoring work shows where it is. Register once per SparkContext.
 */
public final class SparkProgress extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.progress");
    private static final Map<String, Boolean> REGISTERED = new ConcurrentHashMap<>();
    private final Map<Integer, StageState> stages = new ConcurrentHashMap<>();
    private final long intervalMillis;

    private record StageState(String name, int total, long started, AtomicInteger done, java.util.concurrent.atomic.AtomicLong rows,
                              long[] lastLog) {
    }

    private SparkProgress(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    public static void register(org.apache.spark.SparkContext sc) {
        if (REGISTERED.putIfAbsent(sc.applicationId(), true) == null) {
            sc.addSparkListener(new SparkProgress(5000));
        }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        var info = e.stageInfo();
        long now = System.currentTimeMillis();
        stages.put(info.stageId(), new StageState(info.name(), info.numTasks(), now, new AtomicInteger(),
                new java.util.concurrent.atomic.AtomicLong(), new long[]{now}));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        StageState s = stages.get(e.stageId());
        if (s == null) {
            return;
        }
        int done = s.done.incrementAndGet();
        long rows = rows(e, s);
        long now = System.currentTimeMillis();
        synchronized (s.lastLog) {
            if (now - s.lastLog[0] < intervalMillis || done >= s.total) {
                return;
            }
            s.lastLog[0] = now;
        }
        double secs = Math.max(1e-3, (now - s.started) / 1000.0);
        double rate = done / secs;
        LOG.info(String.format("stage %d (%s): %d/%d tasks, %.2f tasks/s, %d rows (%.0f rows/s), ETA %.0f s",
                e.stageId(), s.name, done, s.total, rate, rows, rows / secs, (s.total - done) / Math.max(rate, 1e-9)));
    }

    /** Rows the stage's finished tasks wrote (or, for a stage that writes nothing, read), summed so far. */
    private static long rows(SparkListenerTaskEnd e, StageState s) {
        var m = e.taskMetrics();
        if (m == null) {
            return s.rows.get();
        }
        long written = m.outputMetrics().recordsWritten();
        return s.rows.addAndGet(written > 0 ? written : m.inputMetrics().recordsRead());
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        StageState s = stages.remove(e.stageInfo().stageId());
        if (s != null && System.currentTimeMillis() - s.started > intervalMillis) {
            LOG.info(String.format("stage %d (%s) done: %d tasks in %.1f s", e.stageInfo().stageId(), s.name,
                    s.total, (System.currentTimeMillis() - s.started) / 1000.0));
        }
    }
}
