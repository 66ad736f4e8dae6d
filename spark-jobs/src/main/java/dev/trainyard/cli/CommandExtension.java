package dev.trainyard.cli;

/**
 * A {@code trainyard} subcommand that lives outside this module, found with {@link java.util.ServiceLoader}
 * when its jar is on the classpath: the benchmarks ({@code trainyard bench}, module {@code bench}) reach the
 * CLI this way without the product jar carrying them. An implementation is a picocli {@code @Command} with a
 * public no-argument constructor, listed in {@code META-INF/services/dev.trainyard.cli.CommandExtension}.
 */
public interface CommandExtension {
}
