package dev.trainyard.prep.text;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pair id seen twice in one dataset keeps its first record (by input order, then row); every
 * later one is quarantined {@code duplicate_id}, naming where the kept one is. Ids are compared by a
 * 64-bit hash first, shuffled as primitive arrays, so data without duplicates costs one light pass;
 * only ids whose hash repeats are compared as strings.
 */
final class DuplicateIds {
    private DuplicateIds() {
    }

    /** {@code records} with later duplicates rejected; the same RDD when there are none. */
    static JavaRDD<PairRecord> quarantine(JavaSparkContext jsc, JavaRDD<PairRecord> records, List<String> inputs) {
        List<Long> repeatedHashes = repeatedHashes(records);
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

    /**
     * Hashes seen more than once: each partition sends its hashes as one primitive array per hash
     * bucket (cheap to serialise, unlike a record per id), and each bucket is sorted and scanned.
     */
    static List<Long> repeatedHashes(JavaRDD<PairRecord> records) {
        int buckets = Math.max(1, records.getNumPartitions());
        return records.mapPartitionsToPair(rows -> {
            java.util.stream.LongStream.Builder[] byBucket = new java.util.stream.LongStream.Builder[buckets];
            for (int b = 0; b < buckets; b++) {
                byBucket[b] = java.util.stream.LongStream.builder();
            }
            rows.forEachRemaining(r -> {
                if (!r.rejected()) {
                    long h = hash(r.pairId);
                    byBucket[(int) Math.floorMod(h, (long) buckets)].add(h);
                }
            });
            List<Tuple2<Integer, long[]>> out = new java.util.ArrayList<>(buckets);
            for (int b = 0; b < buckets; b++) {
                out.add(new Tuple2<>(b, byBucket[b].build().toArray()));
            }
            return out.iterator();
        }).partitionBy(new org.apache.spark.HashPartitioner(buckets)).mapPartitions(parts -> {
            java.util.stream.LongStream.Builder all = java.util.stream.LongStream.builder();
            parts.forEachRemaining(t -> {
                for (long h : t._2) {
                    all.add(h);
                }
            });
            long[] sorted = all.build().sorted().toArray();
            List<Long> repeated = new java.util.ArrayList<>();
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i] == sorted[i - 1] && (repeated.isEmpty() || repeated.get(repeated.size() - 1) != sorted[i])) {
                    repeated.add(sorted[i]);
                }
            }
            return repeated.iterator();
        }).collect();
    }

    private static boolean earlier(Map<String, Integer> order, Tuple2<String, Long> a, Tuple2<String, Long> b) {
        int fa = order.getOrDefault(a._1, Integer.MAX_VALUE);
        int fb = order.getOrDefault(b._1, Integer.MAX_VALUE);
        return fa != fb ? fa < fb : a._2 <= b._2;
    }

    static long hash(String id) {
        return SplitAssigner.fnv1a(id, 0);
    }
}
