package dev.trainyard.zoo.ensemble;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnsembleTest {
    @TempDir
    Path tmp;

    private static INDArray table(double[][] rows) {
        return Nd4j.create(rows).castTo(DataType.FLOAT);
    }

    @Test
    void combinersOnHandMadeScoreTables() {
        // member A is unsure about row 0 and sure about row 1; member B the other way round
        INDArray a = table(new double[][]{{0.4, 0.35, 0.25}, {0.05, 0.9, 0.05}});
        INDArray b = table(new double[][]{{0.1, 0.1, 0.8}, {0.5, 0.3, 0.2}});
        INDArray c = table(new double[][]{{0.2, 0.5, 0.3}, {0.6, 0.2, 0.2}});
        INDArray max = Combiner.MAX.combine(List.of(a, b, c));
        assertArrayEquals(b.getRow(0).toFloatVector(), max.getRow(0).toFloatVector(), "row 0: B is the most confident (0.8)");
        assertArrayEquals(a.getRow(1).toFloatVector(), max.getRow(1).toFloatVector(), "row 1: A is the most confident (0.9)");
        INDArray mean = Combiner.MEAN.combine(List.of(a, b, c));
        assertEquals((0.4 + 0.1 + 0.2) / 3, mean.getDouble(0, 0), 1e-6);
        INDArray vote = Combiner.VOTE.combine(List.of(a, b, c));
        assertEquals(1.0 / 3, vote.getDouble(0, 0), 1e-6);
        assertEquals(2.0 / 3, vote.getDouble(1, 0), 1e-6, "row 1: B and C vote class 0");
    }

    @Test
    void bootstrapDrawsWithReplacementAboutSixtyThreePercentDistinct() {
        int n = 20000;
        int[] s = MemberSampling.BOOTSTRAP.indices(n, 1.0, 7, 3);
        assertEquals(n, s.length);
        long distinct = Arrays.stream(s).distinct().count();
        assertEquals(1 - Math.exp(-1), distinct / (double) n, 0.01, "expected share of distinct indices in a bootstrap sample");
        assertArrayEquals(s, MemberSampling.BOOTSTRAP.indices(n, 1.0, 7, 3), "seeded: the sample is recorded by (seed, member)");
        assertTrue(!Arrays.equals(s, MemberSampling.BOOTSTRAP.indices(n, 1.0, 7, 4)), "members draw differently");
        assertEquals(5000, MemberSampling.BOOTSTRAP.indices(n, 0.25, 7, 0).length);
        assertEquals(n, MemberSampling.UNIFORM.indices(n, 0.25, 7, 0).length);
    }

    @Test
    void fgsmMovesEveryPixelByEpsilonAlongTheSignOfTheFiniteDifferenceGradient() {
        ConvNetSpec spec = new ConvNetSpec(8, 8, 1, 3, List.of(4), 8, 0, 0, 1e-3, 5);
        MultiLayerNetwork net = spec.build();
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
        INDArray y = Nd4j.create(new float[][]{{1, 0, 0}, {0, 0, 1}});
        INDArray grad = Fgsm.inputGradient(net, x, y);
        double h = 1e-2;
        int checked = 0;
        for (int p = 0; p < 64; p += 5) {
            int r = p / 8, c = p % 8;
            INDArray plus = x.dup();
            plus.putScalar(new int[]{0, 0, r, c}, x.getDouble(0, 0, r, c) + h);
            INDArray minus = x.dup();
            minus.putScalar(new int[]{0, 0, r, c}, x.getDouble(0, 0, r, c) - h);
            double fd = (score(net, first(plus), y.getRow(0, true)) - score(net, first(minus), y.getRow(0, true))) / (2 * h);
            if (Math.abs(fd) > 1e-3) {
                assertEquals(Math.signum(fd), Math.signum(grad.getDouble(0, 0, r, c)), "pixel " + p);
                checked++;
            }
        }
        assertTrue(checked > 3, "enough pixels with a clear gradient: " + checked);
        INDArray adv = Fgsm.perturb(net, x, y, 0.1, 0, 1);
        INDArray moved = adv.sub(x);
        assertTrue(moved.amaxNumber().doubleValue() <= 0.1 + 1e-6);
        assertTrue(score(net, adv, y) > score(net, x, y), "the loss rises");
    }

    private static INDArray first(INDArray x) {
        return x.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    private static double score(MultiLayerNetwork net, INDArray x, INDArray y) {
        return net.score(new org.nd4j.linalg.dataset.DataSet(x, y), false);
    }

    @Test
    void aSeluConvNetUsesSeluLecunNormalAndAlphaDropoutAndTrains() {
        ConvNetSpec spec = new ConvNetSpec(8, 8, 1, 3, List.of(4), 8, 0.25, 0.5, 1e-3, 1).withSelu(true);
        MultiLayerNetwork net = spec.build();
        for (var layer : net.getLayerWiseConfigurations().getConfs()) {
            var l = layer.getLayer();
            if (l instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer || l instanceof org.deeplearning4j.nn.conf.layers.DenseLayer
                    && !(l instanceof org.deeplearning4j.nn.conf.layers.OutputLayer)) {
                var base = (org.deeplearning4j.nn.conf.layers.BaseLayer) l;
                assertTrue(base.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationSELU, base.toString());
                assertEquals(org.deeplearning4j.nn.weights.WeightInit.LECUN_NORMAL.getWeightInitFunction(), base.getWeightInitFn());
            }
            if (l instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer) {
                assertTrue(l.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.AlphaDropout, l.getIDropout().toString());
            }
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0);
        double before = score(net, x, y);
        for (int i = 0; i < 20; i++) {
            net.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
        }
        assertTrue(score(net, x, y) < before, "a SELU ConvNet learns");
    }

    @Test
    void aSavedEnsembleReloadsAndScoresTheSame() throws Exception {
        ConvNetSpec spec = new ConvNetSpec(8, 8, 1, 3, List.of(4), 8, 0.25, 0.5, 1e-3, 1);
        Ensemble e = new Ensemble(List.of(spec.build(), spec.withSeed(2).build(), spec.withSeed(3).build()), Combiner.MAX,
                Map.of("sampling", "bootstrap", "seed", 42));
        Path file = tmp.resolve("ensemble.zip");
        e.save(file);
        Ensemble back = Ensemble.load(file);
        assertEquals(3, back.members().size());
        try (var in = java.nio.file.Files.newInputStream(file)) {
            assertEquals(3, Ensemble.memberCount(in, file.toString()), "counted without restoring a member");
        }
        // a file missing a member is refused by both, naming the file
        Path partial = tmp.resolve("partial.zip");
        try (var in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(file));
             var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(partial))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.getName().startsWith("member-002")) {
                    out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                    out.write(in.readAllBytes());
                    out.closeEntry();
                }
            }
        }
        for (boolean count : new boolean[]{true, false}) {
            try (var in = java.nio.file.Files.newInputStream(partial)) {
                var ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> { if (count) { Ensemble.memberCount(in, partial.toString()); } else { Ensemble.read(in, partial.toString()); } });
                assertTrue(ex.getMessage().contains(partial.toString()), ex.getMessage());
            }
        }
        assertEquals(Combiner.MAX, back.combiner());
        assertEquals("bootstrap", back.info().get("sampling"));
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8);
        for (Combiner c : Combiner.values()) {
            assertArrayEquals(e.output(x, c).ravel().toFloatVector(), back.output(x, c).ravel().toFloatVector(), 1e-6f, c.name());
        }
        INDArray p = spec.build().output(x);
        assertArrayEquals(new long[]{4, 3}, p.shape());

        // the first two members are the two-member ensemble: its outputs combine exactly those members
        Ensemble two = back.firstMembers(2);
        assertEquals(2, two.members().size());
        assertEquals(3, two.info().get("first_members_of"));
        INDArray expected = Combiner.MEAN.combine(List.of(back.members().get(0).output(x), back.members().get(1).output(x)));
        assertArrayEquals(expected.ravel().toFloatVector(), two.output(x, Combiner.MEAN).ravel().toFloatVector(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> back.firstMembers(4));
        assertThrows(IllegalArgumentException.class, () -> back.firstMembers(0));
    }
}
