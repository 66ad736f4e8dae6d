package dev.trainyard.runtime;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenBlasCoreTest {

    @Test
    void kernelsFollowTheInstructionSetFlagsNotTheModel() {
        Set<String> skx = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
        assertEquals(Optional.of("SkylakeX"), OpenBlasCore.forFlags(skx));
        // Xeon Phi style: AVX-512 F/CD without BW/DQ/VL cannot run the SkylakeX kernels
        assertEquals(Optional.of("Haswell"), OpenBlasCore.forFlags(Set.of("avx2", "fma", "avx512f", "avx512cd")));
        assertEquals(Optional.of("Haswell"), OpenBlasCore.forFlags(Set.of("avx", "avx2", "fma")));
        assertEquals(Optional.empty(), OpenBlasCore.forFlags(Set.of("sse4_2", "avx")));
        assertEquals(Optional.empty(), OpenBlasCore.forFlags(Set.of()));
    }

    @Test
    void flagsComeFromTheFirstProcessorOfCpuinfo() {
        String x86 = "processor\t: 0\nmodel\t\t: 207\nflags\t\t: fpu avx2 fma avx512f\n\nprocessor\t: 1\nflags\t\t: fpu\n";
        assertEquals(Set.of("fpu", "avx2", "fma", "avx512f"), OpenBlasCore.cpuFlags(x86));
        // aarch64 lists "Features", not "flags": nothing to choose from
        assertEquals(Set.of(), OpenBlasCore.cpuFlags("processor\t: 0\nFeatures\t: fp asimd\n"));
    }

    @Test
    void nativeCpuPluginIsListedFirstAndOnce() {
        String self = NativeCpuPlugin.class.getName();
        assertEquals(self, NativeCpuPlugin.prependTo(null));
        assertEquals(self + ",a.B", NativeCpuPlugin.prependTo("a.B"));
        assertEquals(self + ",a.B,c.D", NativeCpuPlugin.prependTo("a.B, " + self + ",c.D"));
    }

    /** In a fresh JVM: the choice reaches libc's environment before OpenBLAS loads, and products stay right. */
    @Test
    void aFreshJvmLoadsOpenBlasWithTheChosenKernels() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/cpuinfo")), "needs Linux /proc/cpuinfo");
        Optional<String> expected = OpenBlasCore.forFlags(OpenBlasCore.cpuFlags(Files.readString(Path.of("/proc/cpuinfo"))));
        Map<String, String> out = fork("before");
        assertEquals(expected.orElse("null"), out.get("coretype"), out.toString());
        assertEquals(expected.orElse("null"), out.get("native"), out.toString());
        assertEquals("false", out.get("loaded_before"), out.toString());
        assertEquals("true", out.get("loaded_after"), out.toString());
        assertTrue(Double.parseDouble(out.get("max_error")) < 1e-3, out.toString());
    }

    @Test
    void tooLateOnceNd4jIsLoadedAndTheUsersValueWins() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux /proc");
        Map<String, String> late = fork("after");
        assertEquals("null", late.get("coretype"), late.toString());
        assertTrue(late.get("source").contains("already loaded"), late.toString());

        Map<String, String> user = fork("before", "OPENBLAS_CORETYPE=Prescott");
        assertEquals("Prescott", user.get("coretype"), user.toString());
        assertTrue(user.get("source").contains("set by the user"), user.toString());
        assertTrue(Double.parseDouble(user.get("max_error")) < 1e-3, user.toString());
    }

    private static Map<String, String> fork(String mode, String... env) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OpenBlasCoreMain.class.getName(), mode).redirectErrorStream(false);
        pb.environment().remove(OpenBlasCore.ENV);
        for (String kv : env) {
            pb.environment().put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, p.waitFor(), String.join("\n", lines));
        return lines.stream().filter(l -> l.startsWith("result ")).map(l -> l.substring(7).split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }
}
