package dev.trainyard.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineTest {

    @Test
    void theCpuIsNamedByTheFirstProcessorsModelFamilyAndModel() {
        String two = """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                cpu family\t: 25
                model\t\t: 17
                model name\t: AMD EPYC
                flags\t\t: fpu avx512f

                processor\t: 1
                cpu family\t: 6
                model\t\t: 167
                model name\t: Intel Xeon
                """;
        assertEquals("AMD EPYC (family 25, model 17)", Machine.cpu(two));
        assertEquals("ARMv8 (no family)", Machine.cpu("model name\t: ARMv8 (no family)\n"));
        assertEquals("unknown", Machine.cpu(""));
    }

    @Test
    void thisMachineIsDescribedWithItsCores() {
        var m = Machine.describe();
        assertEquals(Runtime.getRuntime().availableProcessors(), m.path("cores").asInt());
        assertTrue(!m.path("cpu").asText().isEmpty());
    }
}
