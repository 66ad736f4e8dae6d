package dev.trainyard.cli;

import dev.trainyard.prep.common.Json;
import dev.trainyard.train.ensemble.FgsmAttackJob;
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

        @Option(names = "--target", defaultValue = "member:0", paramLabel = "member:K|ensemble",
                description = "Attack one member, or the ensemble (sum of the members' loss gradients). Default: ${DEFAULT-VALUE}.")
        String target;

        @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR")
        String output;

        @Mixin
        SparkOptions sparkOptions;

        static int member(String target) {
            if (target.equals("ensemble")) {
                return -1;
            }
            if (target.startsWith("member:")) {
                try {
                    return Integer.parseInt(target.substring(7));
                } catch (NumberFormatException e) {
                    // fall through to the message below
                }
            }
            throw new IllegalArgumentException("--target must be member:K or ensemble, got '" + target + "'");
        }

        @Override
        public Integer call() {
            FgsmAttackJob.Config cfg = new FgsmAttackJob.Config(model, data, split, epsilon, member(target), output);
            return sparkOptions.run("trainyard attack fgsm", spark -> System.out.println(Json.write(FgsmAttackJob.run(spark, cfg))));
        }
    }
}
