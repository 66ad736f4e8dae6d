package dev.trainyard.prep.images;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

/** SYNTHETIC IDX image and label files of easy classes: MNIST's format without MNIST, for tests and benchmarks. */
public final class SyntheticImages {
    private SyntheticImages() {
    }

    /**
     * {@code n} images of {@code size x size} pixels, each a bright 10x10 square whose position says its class
     * ({@code i % classes}), and their labels (when {@code labels} is not null).
     */
    public static void write(OutputStream images, OutputStream labels, int n, int classes, int size, long seed) throws IOException {
        Random random = new Random(seed);
        try (var img = new DataOutputStream(images); var lab = labels == null ? null : new DataOutputStream(labels)) {
            img.writeInt(0x00000803);
            img.writeInt(n);
            img.writeInt(size);
            img.writeInt(size);
            if (lab != null) {
                lab.writeInt(0x00000801);
                lab.writeInt(n);
            }
            int span = size - 10;
            for (int i = 0; i < n; i++) {
                int label = i % classes;
                int at = 9 * label % (span + 1);
                byte[] px = new byte[size * size];
                for (int y = 0; y < 10; y++) {
                    for (int x = 0; x < 10; x++) {
                        px[(y + at) * size + x + at] = (byte) (200 + random.nextInt(50));
                    }
                }
                img.write(px);
                if (lab != null) {
                    lab.writeByte(label);
                }
            }
        }
    }
}
