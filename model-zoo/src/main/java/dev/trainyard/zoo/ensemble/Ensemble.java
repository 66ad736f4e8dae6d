package dev.trainyard.zoo.ensemble;

import dev.trainyard.zoo.io.ModelFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Member networks plus how to combine them, saved as one zip: {@code ensemble.json} (member
 * count, seeds, sampling, the default combiner) and {@code member-NNN.zip} (plain DL4J models).
 * Plain code loads it with {@link #load} and scores with {@link #output}.
 */
public final class Ensemble {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String META = "ensemble.json";
    private static final String MEMBER = "member-";
    private static final java.util.regex.Pattern MEMBER_ENTRY = java.util.regex.Pattern.compile("member-\\d{3}\\.zip");
    private final List<MultiLayerNetwork> members;
    private final Combiner combiner;
    private final Map<String, Object> info;

    public Ensemble(List<MultiLayerNetwork> members, Combiner combiner, Map<String, Object> info) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        this.members = List.copyOf(members);
        this.combiner = combiner;
        this.info = new LinkedHashMap<>(info);
    }

    public List<MultiLayerNetwork> members() {
        return members;
    }

    public Combiner combiner() {
        return combiner;
    }

    public Map<String, Object> info() {
        return info;
    }

    /**
     * The first {@code k} members under the same combiner: members are seeded seed + m and their
     * samples are drawn per member, so this is exactly the ensemble a run with {@code --members k}
     * trains, and one run of N members yields every smaller N.
     */
    public Ensemble firstMembers(int k) {
        if (k < 1 || k > members.size()) {
            throw new IllegalArgumentException("asked for the first " + k + " members of an ensemble of " + members.size());
        }
        Map<String, Object> sub = new LinkedHashMap<>(info);
        sub.put("members", k);
        sub.put("first_members_of", members.size());
        return new Ensemble(members.subList(0, k), combiner, sub);
    }

    /** Each member's class probabilities for a batch. */
    public List<INDArray> memberOutputs(INDArray x) {
        List<INDArray> out = new ArrayList<>(members.size());
        for (MultiLayerNetwork m : members) {
            out.add(m.output(x, false));
        }
        return out;
    }

    public INDArray output(INDArray x, Combiner how) {
        return how.combine(memberOutputs(x));
    }

    public INDArray output(INDArray x) {
        return output(x, combiner);
    }

    public void save(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            save(os);
        }
    }

    /** Writes the ensemble as one zip to {@code os}, which stays open. */
    public void save(OutputStream os) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>(info);
        meta.put("members", members.size());
        meta.put("combiner", combiner.name().toLowerCase(java.util.Locale.ROOT));
        try (ZipOutputStream zip = new ZipOutputStream(new org.apache.commons.io.output.CloseShieldOutputStream(os))) {
            zip.putNextEntry(new ZipEntry(META));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
            zip.closeEntry();
            for (int i = 0; i < members.size(); i++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ModelSerializer.writeModel(members.get(i), bytes, false);
                zip.putNextEntry(new ZipEntry(String.format(MEMBER + "%03d.zip", i)));
                zip.write(bytes.toByteArray());
                zip.closeEntry();
            }
        }
    }

    public static Ensemble load(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file)) {
            return read(is, file.toString());
        }
    }

    /** From the bytes of a saved ensemble (e.g. broadcast to Spark executors). */
    public static Ensemble read(InputStream is, String name) throws IOException {
        Map<String, MultiLayerNetwork> byName = new java.util.TreeMap<>();
        Map<String, Object> meta = scan(is, name,
                (entry, zip) -> byName.put(entry, ModelFiles.readMultiLayer(zip.readAllBytes(), entry + " of " + name)));
        Combiner c = Combiner.valueOf(String.valueOf(meta.get("combiner")).toUpperCase(java.util.Locale.ROOT));
        return new Ensemble(new ArrayList<>(byName.values()), c, meta);
    }

    /** How many members a saved ensemble has, checked as {@link #read} checks it, without restoring any member. */
    public static int memberCount(InputStream is, String name) throws IOException {
        return ((Number) scan(is, name, (entry, zip) -> { }).get("members")).intValue();
    }

    private interface MemberEntry {
        void accept(String entry, ZipInputStream zip) throws IOException;
    }

    /** Reads ensemble.json, hands each member entry to {@code member}, and checks every member is there. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> scan(InputStream is, String name, MemberEntry member) throws IOException {
        Map<String, Object> meta = null;
        int members = 0;
        try (ZipInputStream zip = new ZipInputStream(is)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.getName().equals(META) && meta == null) {
                    meta = JSON.readValue(zip.readAllBytes(), Map.class);
                } else if (MEMBER_ENTRY.matcher(e.getName()).matches()) {
                    member.accept(e.getName(), zip);
                    members++;
                } else {
                    throw new IllegalArgumentException(name + " holds the entry '" + e.getName()
                            + "', which Trainyard does not write in an ensemble; refusing to load it");
                }
            }
        } catch (java.util.zip.ZipException | org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(name + " is not a Trainyard ensemble: " + e.getMessage(), e);
        }
        if (meta == null || !(meta.get("members") instanceof Number n) || members != n.intValue()) {
            throw new IllegalArgumentException(name + " is not a complete Trainyard ensemble (ensemble.json or members missing)");
        }
        return meta;
    }
}
