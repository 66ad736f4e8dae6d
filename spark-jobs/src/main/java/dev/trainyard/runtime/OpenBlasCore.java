package dev.trainyard.runtime;

import com.sun.jna.NativeLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses OpenBLAS's kernels from the CPU's instruction-set flags before ND4J loads it.
 *
 * <p>ND4J 1.0.0-M2.1 ships OpenBLAS 0.3.19, which picks its kernels by CPU model number and falls
 * back to its oldest x86-64 kernels (Prescott, SSE3) on CPUs newer than it knows: on the 2-core
 * Xeon (model 207, AVX-512) that develops Trainyard, a 2048^3 float product ran at 32.6 GFLOP/s
 * instead of 140-196 (docs/benchmarks.md, BesNet section). OpenBLAS reads {@code OPENBLAS_CORETYPE} once, when the library is loaded, so
 * the variable is set in this process's environment (libc {@code setenv}) before the first ND4J
 * call: by the CLI at start-up and by {@link NativeCpuPlugin} on every executor.
 *
 * <p>Flags, not model numbers, decide: AVX-512 F/CD/BW/DQ/VL run the SkylakeX kernels, AVX2 + FMA
 * the Haswell ones; anything else is left to OpenBLAS. A value the user set is kept; the system
 * property {@code trainyard.openblas.coretype} overrides ({@code off} leaves OpenBLAS alone).
 */
public final class OpenBlasCore {
    public static final String ENV = "OPENBLAS_CORETYPE";
    public static final String PROPERTY = "trainyard.openblas.coretype";
    private static final Logger LOG = LoggerFactory.getLogger("trainyard.cpu");
    private static final List<String> AVX512_SKYLAKEX = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
    private static Decision decision;

    private OpenBlasCore() {
    }

    /** What was decided for this process, and why (bench results record it). */
    public record Decision(String coreType, String source) {
        public String describe() {
            return coreType == null ? "OpenBLAS chooses its own kernels (" + source + ")" : coreType + " (" + source + ")";
        }
    }

    /** The OpenBLAS core type for a CPU with these /proc/cpuinfo flags, or empty to let OpenBLAS choose. */
    public static Optional<String> forFlags(Set<String> flags) {
        if (flags.containsAll(AVX512_SKYLAKEX)) {
            return Optional.of("SkylakeX");
        }
        if (flags.contains("avx2") && flags.contains("fma")) {
            return Optional.of("Haswell");
        }
        return Optional.empty();
    }

    /** The flags of the first processor in a /proc/cpuinfo text (empty when it has none: not x86). */
    public static Set<String> cpuFlags(String cpuinfo) {
        String flags = cpuinfoField(cpuinfo, "flags");
        return flags == null ? Set.of() : new HashSet<>(Arrays.asList(flags.split("\\s+")));
    }

    /** The value of {@code key} for the first processor in a /proc/cpuinfo text, or null when it has none. */
    public static String cpuinfoField(String cpuinfo, String key) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** This machine's /proc/cpuinfo text ("" where there is none). */
    public static String machineCpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** This machine's CPU flags from /proc/cpuinfo (empty where there is none). */
    static Set<String> machineFlags() {
        return cpuFlags(machineCpuinfo());
    }

    /**
     * Sets {@code OPENBLAS_CORETYPE} for this process when nobody has and OpenBLAS is not loaded
     * yet. Idempotent; never throws (a failure is logged and OpenBLAS keeps its own choice).
     */
    public static synchronized Decision apply() {
        if (decision == null) {
            decision = decide();
            LOG.info("OpenBLAS kernels: {}", decision.describe());
        }
        return decision;
    }

    private static Decision decide() {
        String requested = System.getProperty(PROPERTY, "auto").trim();
        if (requested.equalsIgnoreCase("off")) {
            return new Decision(null, PROPERTY + "=off");
        }
        String inherited = System.getenv(ENV);
        if (inherited != null && !inherited.isBlank() && requested.equalsIgnoreCase("auto")) {
            return new Decision(inherited, ENV + " set by the user");
        }
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return new Decision(null, "not Linux");
        }
        try {
            if (Files.readString(Path.of("/proc/self/maps")).contains("libopenblas")) {
                return new Decision(null, "OpenBLAS already loaded before Trainyard could choose");
            }
            String chosen = requested.equalsIgnoreCase("auto")
                    ? forFlags(machineFlags()).orElse(null) : requested;
            if (chosen == null) {
                return new Decision(null, "no AVX2/AVX-512 flags");
            }
            int rc = NativeLibrary.getInstance("c").getFunction("setenv").invokeInt(new Object[]{ENV, chosen, 1});
            if (rc != 0) {
                return new Decision(null, "setenv failed (" + rc + ")");
            }
            return new Decision(chosen, requested.equalsIgnoreCase("auto") ? "chosen from the CPU flags" : PROPERTY);
        } catch (IOException | RuntimeException | LinkageError e) {
            return new Decision(null, "could not choose: " + e);
        }
    }

    /** The value libc's environment holds now (what OpenBLAS will read), not Java's start-up copy. */
    static String nativeValue() {
        var p = NativeLibrary.getInstance("c").getFunction("getenv").invokePointer(new Object[]{ENV});
        return p == null ? null : p.getString(0);
    }
}
