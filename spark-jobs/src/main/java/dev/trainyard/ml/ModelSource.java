package dev.trainyard.ml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.eval.ModelFamilies;
import dev.trainyard.prep.common.Storage;
import dev.trainyard.registry.ModelRegistry;
import dev.trainyard.train.ModelDir;

import java.io.Serializable;

/**
 * A trained model to apply: the folder its files are in, its family, and the name and version every prediction
 * row carries. Named by a model folder, or by {@code REGISTRY/NAME[@VERSION]} (without a version: the registry's
 * CURRENT one).
 *
 * @param version "vNNNN" for a registered model; "unregistered" for a model folder
 */
public record ModelSource(String dir, String family, String name, String version) implements Serializable {
    public static final String UNREGISTERED = "unregistered";

    public static ModelSource resolve(Storage storage, String reference) {
        String ref = Storage.stripSlash(reference);
        int at = ref.lastIndexOf('@');
        String path = at > ref.lastIndexOf('/') ? ref.substring(0, at) : ref;
        String version = at > ref.lastIndexOf('/') ? ref.substring(at + 1) : null;
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (storage.exists(path + "/" + ModelDir.MANIFEST)) {
            if (version != null) {
                throw new IllegalArgumentException(reference + ": " + path + " is a model folder, not a registry entry; "
                        + "drop '@" + version + "' or name REGISTRY/NAME@VERSION");
            }
            return new ModelSource(path, ModelFamilies.of(storage, path).name(), name, UNREGISTERED);
        }
        if (storage.exists(path + "/" + ModelRegistry.INDEX) || storage.exists(path + "/" + ModelRegistry.CURRENT)) {
            int slash = path.lastIndexOf('/');
            ModelRegistry registry = new ModelRegistry(storage.fs(path).getConf(), slash < 0 ? "." : path.substring(0, slash), name);
            String v = version != null ? version : registry.current().orElseThrow(() -> new IllegalArgumentException(
                    reference + " is a registry entry without a CURRENT version: promote a model first, or name one with @VERSION"));
            String dir = registry.versionDir(v).toString();
            if (!storage.exists(dir + "/" + ModelDir.MANIFEST)) {
                throw new IllegalArgumentException(reference + ": version '" + v + "' of " + path + " does not exist (known: "
                        + versions(registry) + ")");
            }
            return new ModelSource(dir, ModelFamilies.of(storage, dir).name(), name, v);
        }
        throw new IllegalArgumentException(reference + " is neither a model folder (no " + path + "/" + ModelDir.MANIFEST
                + ") nor a registry entry REGISTRY/NAME[@VERSION] (no " + path + "/" + ModelRegistry.CURRENT + ")");
    }

    private static String versions(ModelRegistry registry) {
        StringBuilder out = new StringBuilder();
        for (JsonNode v : registry.index().path("versions")) {
            out.append(out.length() == 0 ? "" : ", ").append(v.path("version").asText());
        }
        return out.toString();
    }

    public ModelDir modelDir(Storage storage) {
        return new ModelDir(storage, dir);
    }
}
