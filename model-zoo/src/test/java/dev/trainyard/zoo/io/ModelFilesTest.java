package dev.trainyard.zoo.io;

import dev.trainyard.zoo.ensemble.Combiner;
import dev.trainyard.zoo.ensemble.ConvNetSpec;
import dev.trainyard.zoo.ensemble.Ensemble;
import dev.trainyard.zoo.siamese.SiameseNetwork;
import dev.trainyard.zoo.siamese.SiameseSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model files are data: a planted serialised object is refused before DL4J could deserialise it. */
class ModelFilesTest {
    @TempDir
    Path tmp;

    /** Stands for an attacker's gadget: deserialising it runs code (here, it sets a flag). */
    static final class Planted implements Serializable {
        static volatile boolean ran;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            ran = true;
        }
    }

    private static byte[] modelZip() throws IOException {
        ComputationGraph net = SiameseNetwork.build(SiameseSpec.defaults(4).withHidden(List.of(4)));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, b, true);
        return b.toByteArray();
    }

    /** The zip with one more entry, or with one entry's bytes replaced. */
    private static byte[] withEntry(byte[] zip, String name, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip)); ZipOutputStream z = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                byte[] bytes = in.readAllBytes();
                if (!e.getName().equals(name)) {
                    z.putNextEntry(new ZipEntry(e.getName()));
                    z.write(bytes);
                }
            }
            z.putNextEntry(new ZipEntry(name));
            z.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] serialised(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    @Test
    void aPlantedPreprocessorIsRefusedWithoutBeingDeserialised() throws IOException {
        Path file = Files.write(tmp.resolve("model.zip"), withEntry(modelZip(), "preprocessor.bin", serialised(new Planted())));
        Planted.ran = false;
        var e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.readGraph(file, true));
        assertTrue(e.getMessage().contains("preprocessor.bin") && e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(Planted.ran, "the planted object was not deserialised");

        // the attack is real: DL4J's own loader runs the planted object
        try {
            ModelSerializer.restoreComputationGraph(file.toFile(), true);
        } catch (Exception ignored) {
            // whatever DL4J makes of the object afterwards, it has been deserialised
        }
        assertTrue(Planted.ran, "DL4J's ModelSerializer deserialises preprocessor.bin");
    }

    @Test
    void aTrainyardModelLoadsWithTheSameParameters() throws IOException {
        byte[] zip = modelZip();
        ComputationGraph net = ModelFiles.readGraph(zip, "m", true);
        assertEquals(ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), true).params(), net.params());
    }

    @Test
    void randomBytesAndForeignClassesAreClearErrors() throws IOException {
        byte[] random = new byte[4096];
        new java.util.Random(1).nextBytes(random);
        var e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.readGraph(random, "random.zip", false));
        assertTrue(e.getMessage().startsWith("random.zip"), e.getMessage());

        byte[] zip = modelZip();
        String conf;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry en;
            String c = null;
            while ((en = in.getNextEntry()) != null) {
                if (en.getName().equals(ModelFiles.CONFIGURATION)) {
                    c = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            conf = c;
        }
        String evil = conf.replaceFirst("\"@class\"\\s*:\\s*\"org\\.deeplearning4j\\.[^\"]+\"", "\"@class\" : \"com.sun.rowset.JdbcRowSetImpl\"");
        assertTrue(!evil.equals(conf), "the configuration names classes");
        byte[] planted = withEntry(zip, ModelFiles.CONFIGURATION, evil.getBytes(StandardCharsets.UTF_8));
        var c = assertThrows(IllegalArgumentException.class, () -> ModelFiles.readGraph(planted, "m.zip", false));
        assertTrue(c.getMessage().contains("com.sun.rowset.JdbcRowSetImpl"), c.getMessage());
    }

    @Test
    void anEnsembleWithAnEntryTrainyardDoesNotWriteIsRefused() throws IOException {
        Path file = tmp.resolve("ensemble.zip");
        new Ensemble(List.of(ConvNetSpec.mnist(1).withSize(List.of(2), 4).build()), Combiner.MEAN, Map.of()).save(file);
        assertEquals(1, Ensemble.load(file).members().size());
        Files.write(file, withEntry(Files.readAllBytes(file), "objects/evil.bin", serialised(new Planted())));
        var e = assertThrows(IllegalArgumentException.class, () -> Ensemble.load(file));
        assertTrue(e.getMessage().contains("objects/evil.bin"), e.getMessage());
    }
}
