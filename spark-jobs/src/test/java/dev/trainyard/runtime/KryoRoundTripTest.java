package dev.trainyard.runtime;

import dev.trainyard.prep.text.FittedText;
import dev.trainyard.train.ensemble.ImageBatches;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What Trainyard broadcasts survives Kryo with ND4J's registrator, the serializer the deploy
 * scripts set (Java serialization, the default, is covered by every other test).
 */
class KryoRoundTripTest {
    private final dev.trainyard.testing.KryoRoundTrip kryo = new dev.trainyard.testing.KryoRoundTrip();

    private <T> T roundTrip(T value) {
        return kryo.of(value);
    }

    @Test
    void broadcastValuesAndNd4jArraysRoundTrip() {
        FittedText text = new FittedText(Map.of("what", 2, "is", 3), new float[] {0f, 0f, 1.5f, 0.5f},
                new float[][] {null, null, {1f, 0f}, {0f, 1f}}, 2);
        FittedText back = roundTrip(text);
        assertArrayEquals(text.tokenIds(List.of("what", "is", "new")), back.tokenIds(List.of("what", "is", "new")));
        assertArrayEquals(text.weightedMean(new int[] {2, 3}), back.weightedMean(new int[] {2, 3}));

        ImageBatches images = new ImageBatches(new byte[][] {{1, 2, 3, 4}}, new int[] {7}, 2, 2, 10);
        ImageBatches imagesBack = roundTrip(images);
        assertArrayEquals(images.pixels()[0], imagesBack.pixels()[0]);
        assertEquals(7, imagesBack.labels()[0]);

        var array = Nd4j.linspace(1, 6, 6).reshape(2, 3);
        assertEquals(array, roundTrip(array));
    }

    @Test
    void recordsGoByTheirComponentsAndNetworkConfigurationsAsJson() {
        var example = new dev.trainyard.train.PairExample("p1", new float[] {1f, 2f}, new float[] {3f, 4f}, 1f);
        var back = roundTrip(example);
        assertArrayEquals(example.q1(), back.q1());
        assertEquals(example.label(), back.label());
        assertEquals("p1", back.pairId());

        var conf = dev.trainyard.zoo.siamese.SiameseNetwork.build(dev.trainyard.zoo.siamese.SiameseSpec.defaults(4)
                .withHidden(List.of(3))).getConfiguration();
        assertEquals(conf.toJson(), roundTrip(conf).toJson());
    }

    /** Stands for a class a stream might name that Trainyard never ships. */
    static final class NotShipped implements java.io.Serializable {
    }

    @Test
    void aClassNobodyRegisteredIsRefused() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> roundTrip(new NotShipped()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not registered"), e.getMessage());
    }
}
