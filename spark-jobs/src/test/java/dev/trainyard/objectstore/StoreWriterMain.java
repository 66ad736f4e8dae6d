package dev.trainyard.objectstore;

import dev.trainyard.prep.common.Json;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.registry.ModelRegistry;
import dev.trainyard.train.CheckpointStore;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;
import java.util.Map;

/**
 * A process that writes to a store until it is killed, announcing each write before it starts
 * ("saving N" / "promoting") and after it ends ("saved N" / "promoted vN"). Used by
 * {@link ObjectStoreKillIT}. Arguments: {@code checkpoints MODEL_DIR FIRST_EPOCH key=value...}
 * (epoch e holds every parameter equal to e, so a reader can tell a complete checkpoint from a torn
 * one) or {@code registry REGISTRY NAME MODEL_DIR key=value...} (promotes MODEL_DIR again and again).
 */
public final class StoreWriterMain {
    private StoreWriterMain() {
    }

    public static void main(String[] args) {
        dev.trainyard.runtime.NativeCpu.configure();
        Configuration conf = new Configuration();
        for (String kv : args) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                conf.set(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        if (args[0].equals("checkpoints")) {
            ComputationGraph net = SiameseNetwork.build(SiameseSpec.defaults(1000).withHidden(List.of(1000, 800)));
            CheckpointStore store = new CheckpointStore(new Storage(conf), args[1], 2);
            for (int epoch = Integer.parseInt(args[2]); ; epoch++) {
                net.params().assign(epoch);
                say("saving " + epoch);
                store.save(net, epoch);
                say("saved " + epoch);
            }
        }
        ModelRegistry registry = new ModelRegistry(conf, args[1], args[2]);
        while (true) {
            say("promoting");
            var decision = Json.object().put("promoted", true);
            String version = registry.register(args[3], Map.of("decision.json", decision));
            registry.record(Json.object().put("version", version).put("promoted", true), true);
            say("promoted " + version);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
