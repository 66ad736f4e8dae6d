package dev.trainyard.cli;

import dev.trainyard.prep.video.FrameSampler;
import dev.trainyard.train.TrainingConfig;
import dev.trainyard.zoo.besnet.BesNetSpec;
import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.MemberSampling;
import dev.trainyard.zoo.siamese.SiameseSpec;
import dev.trainyard.zoo.video.TemporalPadding;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Enum-typed options take kebab-case values ("before-relu"), case-insensitively, and a wrong value names the
 * choices. Every enum an option uses is listed here once.
 */
final class Enums {
    private static final List<Class<? extends Enum<?>>> OPTION_TYPES = List.of(TrainingConfig.Engine.class,
            TrainingConfig.Approach.class, SiameseSpec.Norm.class, SiameseSpec.Head.class, SiameseSpec.Updater.class,
            MemberSampling.class, Combiner.class, FrameSampler.Mode.class, FrameSampler.Start.class, TemporalPadding.class,
            BesNetSpec.Order.class);

    private Enums() {
    }

    /** Registers the kebab-case converter for every enum in {@link #OPTION_TYPES} on {@code cli} and its subcommands. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void registerKebabCase(CommandLine cli) {
        for (Class type : OPTION_TYPES) {
            cli.registerConverter(type, text -> parse(type, text));
        }
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        // US spelling accepted for the British names the options use ("center" for "centre")
        String key = text.trim().toLowerCase(Locale.ROOT).replace("center", "centre").toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(type.getEnumConstants()).filter(c -> c.name().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " '" + text
                        + "'; expected one of " + Arrays.stream(type.getEnumConstants())
                        .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()));
    }
}
