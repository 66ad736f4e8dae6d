package dev.trainyard.runtime;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeCpuTest {

    /** The jar records the ND4J build Maven packaged, the one these tests load (surefire passes Maven's value). */
    @Test
    void theJarRecordsTheNativeBuildItCarries() {
        assertEquals(System.getProperty(NativeCpu.EXTENSION_PROPERTY, ""), NativeCpu.buildExtension());
    }

    @Test
    void anAvx2BuildOnACpuWithoutAvx2FailsWithWhatToDo() {
        var e = assertThrows(IllegalStateException.class,
                () -> NativeCpu.requireInstructions("-onednn-avx2", Set.of("sse4_2", "avx")));
        assertTrue(e.getMessage().contains("AVX2") && e.getMessage().contains("-Pcpu-generic"), e.getMessage());
        assertDoesNotThrow(() -> NativeCpu.requireInstructions("-onednn-avx2", Set.of("avx2", "fma")));
        assertThrows(IllegalStateException.class, () -> NativeCpu.requireInstructions("-avx512", Set.of("avx2", "fma")));
        // no /proc/cpuinfo flags (not Linux x86): nothing to check against
        assertDoesNotThrow(() -> NativeCpu.requireInstructions("-onednn-avx2", Set.of()));
    }
}
