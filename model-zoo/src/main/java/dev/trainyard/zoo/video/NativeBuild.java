package dev.trainyard.zoo.video;

import org.nd4j.nativeblas.NativeOpsHolder;

/** What the loaded ND4J native library was built with (libnd4j's own build flags). */
public final class NativeBuild {
    private static volatile String info;

    private NativeBuild() {
    }

    /** libnd4j's build flags, e.g. {@code HAVE_OPENBLAS}, {@code HAVE_ONEDNN}. */
    public static String info() {
        if (info == null) {
            info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        }
        return info;
    }

    /** "oneDNN" or "generic" CPU build, or "CUDA", for run manifests and bench results. */
    public static String describe() {
        String i = info();
        return i.contains("HAVE_ONEDNN") ? "oneDNN" : i.contains("CUDA") || i.contains("CUDNN") ? "CUDA" : "generic";
    }
}
