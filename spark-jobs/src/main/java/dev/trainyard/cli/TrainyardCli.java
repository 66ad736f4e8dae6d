package dev.trainyard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code trainyard}: the one entry point, for the launcher script and for
 * {@code spark-submit --class dev.trainyard.cli.TrainyardCli trainyard.jar <subcommand>}.
 * Exit codes: 0 ok, 1 failure, 2 bad input or usage.
 */
@Command(name = "trainyard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Distributed deep-learning training on Apache Spark.",
        subcommands = {PrepCommand.class, GenerateCommand.class, TrainCommand.class, EvaluateCommand.class, AttackCommand.class, InflateCommand.class, PromoteCommand.class, CheckCommand.class,
                DemoCommand.class, PredictCommand.class, HelpCommand.class})
public final class TrainyardCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TrainyardCli());
        for (CommandExtension extension : java.util.ServiceLoader.load(CommandExtension.class)) {
            cli.addSubcommand(extension);
        }
        Enums.registerKebabCase(cli);
        return cli
                // a usage error is one line and a hint, not the whole usage text
                .setParameterExceptionHandler((ex, args) -> {
                    CommandLine cmd = ex.getCommandLine();
                    String name = cmd.getCommandSpec().qualifiedName(" ");
                    cmd.getErr().println(name + ": " + ex.getMessage());
                    cmd.getErr().println("Try '" + name + " --help' for its options.");
                    return 2;
                })
                .setExecutionExceptionHandler((ex, cmd, parse) -> {
                    Throwable root = ex;
                    while (!(root instanceof IllegalArgumentException) && root.getCause() != null && root.getCause() != root) {
                        root = root.getCause();
                    }
                    if (root instanceof IllegalArgumentException) {
                        cmd.getErr().println("trainyard " + cmd.getCommandName() + ": " + root.getMessage());
                        return 2;
                    }
                    ex.printStackTrace(cmd.getErr());
                    return 1;
                });
    }

    public static void main(String[] args) {
        // before anything loads ND4J: its native build and OpenBLAS's kernels are chosen once, at load
        dev.trainyard.runtime.NativeCpu.configure();
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
