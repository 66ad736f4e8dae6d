package dev.trainyard.cli;

import dev.trainyard.attack.FgsmAttackJob;
import dev.trainyard.prep.common.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "attack", mixinStandardHelpOptions = true, description = "Adversarial examples against trained models.",
        subcommands = {AttackCommand.Fgsm.class})
public final class AttackCommand extends GroupCommand {

    @Command(name = "fgsm", mixinStandardHelpOptions = true,
            description = {"Fast gradient sign examples for an image dataset, made on the executors against one ensemble member",
                    "or the whole ensemble (white-box), written as an image dataset whose metadata records the attack."})
    static final class Fgsm implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "From 'trainyard train ensemble' (a single model = member:0).")
        String model;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "An image dataset from 'trainyard prep images'.")
        String data;

        @Option(names = "--epsilon", required = true, description = "Step per pixel, pixels scaled to [0,1].")
        double epsilon;

        @Option(names = "--split", defaultValue = "test", description = "Default: ${DEFAULT-VALUE}.")
        String split;

        @Option(names = "--target", defaultValue = "member:0", paramLabel = "member:K|ensemble|ensemble:K",
                description = {"Attack one member, the ensemble (sum of the members' loss gradients), or the ensemble of its first K",
                        "members (what --members K would have trained). Default: ${DEFAULT-VALUE}."})
        String target;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR")
        String output;

        @Mixin
        SparkOptions sparkOptions;

        /** {member, first K}: member -1 means an ensemble, K 0 means all its members. */
        static int[] target(String target) {
            if (target.equals("ensemble")) {
                return new int[] {-1, 0};
            }
            for (String prefix : new String[] {"member:", "ensemble:"}) {
                if (target.startsWith(prefix)) {
                    int k = parseCount(target.substring(prefix.length()));
                    if (prefix.equals("member:") && k >= 0) {
                        return new int[] {k, 0};
                    }
                    if (k >= 1) {
                        return new int[] {-1, k};
                    }
                }
            }
            throw new IllegalArgumentException("--target must be member:K (K >= 0), ensemble or ensemble:K (K >= 1), got '" + target + "'");
        }

        private static int parseCount(String s) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public Integer call() {
            int[] t = target(target);
            FgsmAttackJob.Config cfg = new FgsmAttackJob.Config(model, data, split, epsilon, t[0], t[1], output);
            return sparkOptions.run("trainyard attack fgsm", cfg, spark -> System.out.println(Json.write(FgsmAttackJob.run(spark, cfg))));
        }
    }
}
