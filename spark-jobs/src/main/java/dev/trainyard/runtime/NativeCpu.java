package dev.trainyard.runtime;

import java.util.Set;

/**
 * Prepares the CPU side of ND4J in this JVM before it loads; call first thing in every entry point
 * (the CLI, each executor through {@link NativeCpuPlugin}). Two things, both read only once, at load:
 * <ul>
 *   <li>which ND4J native build JavaCPP loads: the jar carries the build Maven chose
 *       ({@code nd4j.platform.extension}: {@code -onednn-avx2} by default, see docs/benchmarks.md),
 *       and JavaCPP finds it only through {@value #EXTENSION_PROPERTY};</li>
 *   <li>OpenBLAS's kernels ({@link OpenBlasCore}).</li>
 * </ul>
 * A value the user set for either wins.
 */
public final class NativeCpu {
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static boolean configured;

    private NativeCpu() {
    }

    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        String extension = buildExtension();
        if (System.getProperty(EXTENSION_PROPERTY) == null && !extension.isEmpty()) {
            requireInstructions(extension, OpenBlasCore.machineFlags());
            System.setProperty(EXTENSION_PROPERTY, extension);
        }
        OpenBlasCore.apply();
    }

    /** The ND4J native build this jar was packaged with ("" for the generic one). */
    public static String buildExtension() {
        String ext = dev.trainyard.train.BuildInfo.get("nd4j.platform.extension").trim();
        return ext.equals("unknown") || ext.startsWith("${") ? "" : ext;
    }

    /** Fails with what to do when the CPU cannot run the packaged build (an AVX2 build on an older CPU). */
    static void requireInstructions(String extension, Set<String> flags) {
        if (flags.isEmpty()) {
            return;
        }
        if (extension.contains("avx512") && !flags.contains("avx512f") || extension.contains("avx2") && !(flags.contains("avx2") && flags.contains("fma"))) {
            throw new IllegalStateException("this Trainyard jar carries ND4J's " + extension.substring(1)
                    + " native build, which this CPU cannot run (no " + (extension.contains("avx512") ? "AVX-512" : "AVX2/FMA")
                    + "); build the generic CPU jar instead: mvn -Pcpu-generic package -DskipTests");
        }
    }
}
