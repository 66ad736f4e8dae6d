package dev.trainyard.prep.text;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pair id seen twice in one dataset keeps its first record (by input order, then row); every
 * later one is quarantined {@code duplicate_id}, naming where the kept one is. Ids are counted by a
 * 64-bit hash first, so data without duplicates costs one shuffle of longs; only ids whose hash
 * repeats are compared as strings.
 */
final class DuplicateIds {
    private DuplicateIds() {
    }

    /** {@code records} with later duplicates rejected; the same RDD when there are none. */
    static JavaRDD<PairRecord> quarantine(JavaSparkContext jsc, JavaRDD<PairRecord> records, List<String> inputs) {
        List<Long> repeatedHashes = records.filter(r -> !r.rejected()).mapToPair(r -> new Tuple2<>(hash(r.pairId), 1L))
                .reduceByKey(Long::sum).filter(t -> t._2 > 1).keys().collect();
        if (repeatedHashes.isEmpty()) {
            return records;
        }
        Broadcast<Set<Long>> candidates = jsc.broadcast(new HashSet<>(repeatedHashes));
        Map<String, Integer> fileOrder = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            fileOrder.putIfAbsent(inputs.get(i), i);
        }
        Broadcast<Map<String, Integer>> order = jsc.broadcast(fileOrder);
        Map<String, Tuple2<String, Long>> first = new HashMap<>(records
                .filter(r -> !r.rejected() && candidates.value().contains(hash(r.pairId)))
                .mapToPair(r -> new Tuple2<>(r.pairId, new Tuple2<>(r.sourceFile, r.sourceRow)))
                .reduceByKey((a, b) -> earlier(order.value(), a, b) ? a : b)
                .collectAsMap());
        Broadcast<Map<String, Tuple2<String, Long>>> keep = jsc.broadcast(first);
        return records.map(r -> {
            if (r.rejected()) {
                return r;
            }
            Tuple2<String, Long> kept = keep.value().get(r.pairId);
            if (kept == null || (kept._1.equals(r.sourceFile) && kept._2 == r.sourceRow)) {
                return r;
            }
            return PairRecord.reject(r.sourceFile, r.sourceRow, RejectReason.DUPLICATE_ID, "pair id '" + r.pairId
                    + "' was already read at " + kept._1 + ":" + kept._2, r.question1 + '\t' + r.question2);
        });
    }

    private static boolean earlier(Map<String, Integer> order, Tuple2<String, Long> a, Tuple2<String, Long> b) {
        int fa = order.getOrDefault(a._1, Integer.MAX_VALUE);
        int fb = order.getOrDefault(b._1, Integer.MAX_VALUE);
        return fa != fb ? fa < fb : a._2 <= b._2;
    }

    /** FNV-1a over the id's UTF-8 bytes. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
