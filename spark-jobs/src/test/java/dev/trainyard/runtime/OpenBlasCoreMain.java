package dev.trainyard.runtime;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;

/** Run by {@link OpenBlasCoreTest} in a fresh JVM: "before" chooses, then loads ND4J; "after" the reverse. */
public final class OpenBlasCoreMain {
    private OpenBlasCoreMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean before = args[0].equals("before");
        boolean loadedBefore = openBlasLoaded();
        // the native build this jar carries, as every entry point sets it first
        System.setProperty(NativeCpu.EXTENSION_PROPERTY, NativeCpu.buildExtension());
        if (!before) {
            Nd4j.create(1);
        }
        OpenBlasCore.Decision d = OpenBlasCore.apply();
        INDArray a = Nd4j.rand(DataType.FLOAT, 96, 80);
        INDArray b = Nd4j.rand(DataType.FLOAT, 80, 64);
        INDArray c = a.mmul(b);
        double maxError = 0;
        for (int i = 0; i < 96; i++) {
            for (int j = 0; j < 64; j++) {
                double s = 0;
                for (int k = 0; k < 80; k++) {
                    s += a.getDouble(i, k) * b.getDouble(k, j);
                }
                maxError = Math.max(maxError, Math.abs(s - c.getDouble(i, j)));
            }
        }
        System.out.println("result coretype=" + d.coreType());
        System.out.println("result source=" + d.source());
        System.out.println("result native=" + OpenBlasCore.nativeValue());
        System.out.println("result loaded_before=" + loadedBefore);
        System.out.println("result loaded_after=" + openBlasLoaded());
        System.out.println("result max_error=" + maxError);
    }

    private static boolean openBlasLoaded() throws java.io.IOException {
        return Files.readString(Path.of("/proc/self/maps")).contains("libopenblas");
    }
}
