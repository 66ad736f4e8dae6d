package dev.trainyard.train;

/**
 * How to train, independent of the model.
 *
 * @param engine              SPARK: DL4J parameter averaging across Spark tasks; LOCAL: one JVM, {@code fit} on the driver
 * @param workers             parallel Spark workers (tasks) per averaging round
 * @param batchSizePerWorker  examples in each minibatch a worker fits
 * @param averagingFrequency  minibatches each worker fits between two parameter averagings
 * @param aggregationDepth    depth of Spark's treeAggregate when summing worker parameters
 * @param epochs              passes over the training split
 * @param seed                data order and DL4J's own randomness
 * @param threadsPerWorker    ND4J threads per worker in local mode; 0 = the cores divided among the workers
 * @param approach            how DL4J hands each round's minibatches to the workers (DIRECT: in the RDD; EXPORT: as files)
 * @param exportDir           EXPORT: where the minibatch files go, on a file system every executor reads (HDFS); null = DL4J's default
 */
public record TrainingConfig(Engine engine, int workers, int batchSizePerWorker, int averagingFrequency,
                             int aggregationDepth, int epochs, long seed, int threadsPerWorker, Approach approach, String exportDir) {

    public enum Engine { SPARK, LOCAL }

    /** DL4J's RDD training approaches: Export writes minibatches to files and workers stream them back (lower executor memory). */
    public enum Approach { DIRECT, EXPORT }

    public TrainingConfig {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
        }
        if (batchSizePerWorker < 1) {
            throw new IllegalArgumentException("--batch-size-per-worker must be >= 1, got " + batchSizePerWorker);
        }
        if (averagingFrequency < 1) {
            throw new IllegalArgumentException("--averaging-frequency must be >= 1, got " + averagingFrequency);
        }
        if (aggregationDepth < 1) {
            throw new IllegalArgumentException("--aggregation-depth must be >= 1, got " + aggregationDepth);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (threadsPerWorker < 0) {
            throw new IllegalArgumentException("--threads-per-worker must be >= 0 (0 = automatic), got " + threadsPerWorker);
        }
        java.util.Objects.requireNonNull(approach, "--rdd-training-approach");
        if (exportDir != null && approach != Approach.EXPORT) {
            throw new IllegalArgumentException("--export-dir applies to --rdd-training-approach export only");
        }
    }

    public TrainingConfig(Engine engine, int workers, int batchSizePerWorker, int averagingFrequency,
                          int aggregationDepth, int epochs, long seed, int threadsPerWorker) {
        this(engine, workers, batchSizePerWorker, averagingFrequency, aggregationDepth, epochs, seed, threadsPerWorker, Approach.DIRECT, null);
    }

    public TrainingConfig(Engine engine, int workers, int batchSizePerWorker, int averagingFrequency,
                          int aggregationDepth, int epochs, long seed) {
        this(engine, workers, batchSizePerWorker, averagingFrequency, aggregationDepth, epochs, seed, 0);
    }

    /** ND4J threads each worker gets in local mode (the single-JVM engine is one worker). */
    public int effectiveThreads() {
        if (threadsPerWorker > 0) {
            return threadsPerWorker;
        }
        return Nd4jThreads.fairShare(layoutWorkers());
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(Engine.SPARK, 2, 64, 5, 2, 10, 42);
    }

    /**
     * The workers the data is laid out for: one for the single-JVM engine. Jobs lay out their
     * minibatches with this once ({@link Batches}); trainers take rounds from that layout.
     */
    public int layoutWorkers() {
        return engine == Engine.LOCAL ? 1 : workers;
    }
}
