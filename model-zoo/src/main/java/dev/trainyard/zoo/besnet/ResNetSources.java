package dev.trainyard.zoo.besnet;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.ResNet50;

import java.io.File;
import java.io.IOException;

/** Where a 2D ResNet for inflation comes from: a DL4J zip, a Keras HDF5 file, or DL4J's ImageNet download. */
public final class ResNetSources {
    public static final String IMAGENET = "imagenet";

    private ResNetSources() {
    }

    public static ComputationGraph load(String from) throws IOException {
        if (IMAGENET.equals(from)) {
            return (ComputationGraph) ResNet50.builder().build().initPretrained(PretrainedType.IMAGENET);
        }
        File f = new File(from);
        if (!f.isFile()) {
            throw new IllegalArgumentException("--from " + from + " does not exist");
        }
        if (from.endsWith(".h5") || from.endsWith(".hdf5")) {
            try {
                return KerasModelImport.importKerasModelAndWeights(from, false);
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot import Keras model " + from + ": " + e.getMessage(), e);
            }
        }
        return dev.trainyard.zoo.io.ModelFiles.readGraph(f.toPath(), false);
    }
}
