package dev.trainyard.runtime;

import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuAssignmentTest {
    private static Map<String, ResourceInformation> gpus(String... addresses) {
        return Map.of("gpu", new ResourceInformation("gpu", addresses));
    }

    @Test
    void theDevicesAreTheOrdinalsSparkAssigned() {
        assertArrayEquals(new int[] {2, 3}, GpuAssignment.devices(gpus("2", "3")));
        assertArrayEquals(new int[0], GpuAssignment.devices(Map.of()));
        assertArrayEquals(new int[0], GpuAssignment.devices(null));
        assertEquals(OptionalInt.of(1), GpuAssignment.taskDevice(gpus("1")));
        assertEquals(OptionalInt.empty(), GpuAssignment.taskDevice(Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"}))));
    }

    @Test
    void aTaskWithTwoGpusOrANonOrdinalAddressIsRefusedWithTheFix() {
        var two = assertThrows(IllegalStateException.class, () -> GpuAssignment.taskDevice(gpus("0", "1")));
        assertTrue(two.getMessage().contains("spark.task.resource.gpu.amount=1"), two.getMessage());
        var uuid = assertThrows(IllegalArgumentException.class, () -> GpuAssignment.devices(gpus("GPU-8f1c2e3a")));
        assertTrue(uuid.getMessage().contains("GPU-8f1c2e3a") && uuid.getMessage().contains("discover-gpus.sh"), uuid.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GpuAssignment.devices(gpus("-1")));
    }
}
