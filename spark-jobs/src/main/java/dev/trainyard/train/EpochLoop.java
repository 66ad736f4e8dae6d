package dev.trainyard.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.ToDoubleFunction;

/**
 * The epoch loop every training job shares: fit one pass, score dev, checkpoint, append a metrics
 * line, log rate and ETA; inside an epoch, progress per averaging round at most every 5 s.
 */
public final class EpochLoop {
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.train");

    private EpochLoop() {
    }

    /** What the epochs cost: seconds spent fitting and examples fitted. */
    public record Outcome(ComputationGraph network, double trainSeconds, long trainedExamples) {
        public double examplesPerSecond() {
            return trainedExamples / Math.max(trainSeconds, 1e-9);
        }

        /** The manifest's timing block for a job that started at {@code startNanos}. */
        public ObjectNode timing(long startNanos) {
            ObjectNode t = dev.trainyard.prep.common.Json.object();
            t.put("train_seconds", trainSeconds);
            t.put("total_seconds", (System.nanoTime() - startNanos) / 1e9);
            t.put("examples_per_second", examplesPerSecond());
            return t;
        }
    }

    /**
     * @param devLoss mean dev loss of the current network (NaN when there is no dev split)
     * @param unit    what an example is called in logs ("pairs", "clips")
     */
    public static Outcome run(Trainer trainer, Batches<?> train, ToDoubleFunction<ComputationGraph> devLoss, ModelDir dir,
                              ArrayNode epochs, ModelDir.Start start, int lastEpoch, String unit) {
        double trainSeconds = 0;
        long trained = 0;
        for (int epoch = start.firstEpoch(); epoch <= lastEpoch; epoch++) {
            long e0 = System.nanoTime();
            double trainLoss = trainer.fitEpoch(train, new RoundProgress(epoch, lastEpoch, unit));
            double secs = (System.nanoTime() - e0) / 1e9;
            trainSeconds += secs;
            trained += train.numExamples();
            refuseNonFinite(trainer.network(), trainLoss, epoch, dir);
            double dev = devLoss.applyAsDouble(trainer.network());
            ObjectNode line = epochs.addObject();
            line.put("epoch", epoch);
            line.put("train_loss", trainLoss);
            if (!Double.isNaN(dev)) {
                line.put("dev_loss", dev);
            }
            line.put("seconds", secs);
            if (epoch == start.firstEpoch() && start.checkpoint().isPresent()) {
                // a resumed run says where it picked up (the kill-and-resume tests read this)
                line.put("resumed_from", start.checkpoint().get().substring(start.checkpoint().get().lastIndexOf('/') + 1));
            }
            line.put("examples_per_second", train.numExamples() / secs);
            // off-heap arrays JavaCPP tracks and the process's resident memory: flat across epochs, after warm-up,
            // unless something leaks
            line.put("offheap_bytes", org.bytedeco.javacpp.Pointer.totalBytes());
            line.put("rss_bytes", org.bytedeco.javacpp.Pointer.physicalBytes());
            // metrics first: a run killed before the checkpoint lands resumes from the one before, and drops this line
            dir.writeJson(ModelDir.METRICS, ModelDir.metrics(epochs));
            dir.checkpoints().save(trainer.network(), epoch);
            double eta = (lastEpoch - epoch) * (trainSeconds / (epoch - start.firstEpoch() + 1));
            LOG.info(String.format("epoch %d/%d: train loss %.4f, dev loss %.4f, %.1f %s/s, %.1f s, ETA %.0f s",
                    epoch, lastEpoch, trainLoss, dev, train.numExamples() / secs, unit, secs, eta));
        }
        return new Outcome(trainer.network(), trainSeconds, trained);
    }

    /** Training that stopped being a number fails (exit 1) before its network is checkpointed or saved. */
    static void refuseNonFinite(ComputationGraph net, double trainLoss, int epoch, ModelDir dir) {
        double paramSum = net.params().sumNumber().doubleValue();
        if (Double.isFinite(trainLoss) && Double.isFinite(paramSum)) {
            return;
        }
        String last = dir.checkpoints().latest().map(p -> "the last finite checkpoint is " + p)
                .orElse("no earlier checkpoint exists");
        throw new IllegalStateException(String.format("training diverged in epoch %d: the %s is not a finite number (%s); no model "
                + "was saved; %s. Lower the learning rate or check the data for extreme values.", epoch,
                Double.isFinite(trainLoss) ? "network's parameter sum" : "training loss",
                Double.isFinite(trainLoss) ? paramSum : trainLoss, last));
    }

    /** Example-weighted mean loss over batches in inference mode; NaN when there are none. */
    public static double meanLoss(ComputationGraph net, java.util.List<org.nd4j.linalg.dataset.api.MultiDataSet> batches) {
        double sum = 0;
        long n = 0;
        for (var b : batches) {
            long size = b.getFeatures(0).size(0);
            sum += net.score(b, false) * size;
            n += size;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Logs progress inside an epoch at most every 5 s: round, rate, loss, ETA. */
    private static final class RoundProgress implements Trainer.RoundListener {
        private final int epoch;
        private final int epochs;
        private final String unit;
        private final long epochStart = System.nanoTime();
        private long lastLog = System.nanoTime();

        RoundProgress(int epoch, int epochs, String unit) {
            this.epoch = epoch;
            this.epochs = epochs;
            this.unit = unit;
        }

        @Override
        public void onRound(int round, int rounds, long examples, double loss) {
            long now = System.nanoTime();
            if (now - lastLog < 5_000_000_000L || round == rounds) {
                return;
            }
            lastLog = now;
            double secs = (now - epochStart) / 1e9;
            double eta = secs / round * (rounds - round);
            LOG.info(String.format("epoch %d/%d round %d/%d: %.1f %s/s, loss %.4f, epoch ETA %.0f s",
                    epoch, epochs, round, rounds, examples / secs, unit, loss, eta));
        }
    }
}
