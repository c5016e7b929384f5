package io.ringstore.cluster.sim;

import io.ringstore.spi.Dot;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.StoredRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The checks of a simulated run's history against the state the cluster ended in, after the faults
 * healed, a quiet period, the repair passes and a read of every key at R = N:
 * <ol>
 *   <li><b>No acknowledged write is lost</b>: the key's final clock covers the dot of every
 *       acknowledged put, so the put's value is held, as the value or a sibling, or was overwritten
 *       by a write that had seen it. Never silently dropped. The promise is made for W + R > N; it
 *       is checked for every W, since no simulated fault destroys a replica's records (a crash
 *       keeps them, as a persistent engine keeps its synced records), so even a W = 1 write stays
 *       on the primary that made it and the final read at R = N finds it.
 *   <li><b>No acknowledged delete is lost, and no deleted value comes back</b>: the final clock
 *       covers the tombstone's dots, and no value the tombstone had seen (its clock covers the
 *       value's dot) is held again; a value written later or concurrently may be.
 *   <li><b>Sibling bound</b>: no record (answered to a client, held by a replica, read at the end)
 *       keeps more than maxSiblings values ({@link Kind#SIBLINGS} for a version a commit made,
 *       {@link Kind#SIBLINGS_MERGED}, a known finding, for a merge of concurrent versions).
 *   <li><b>Convergence</b>: every replica of every key holds the same version (clock and sibling
 *       dots) after the final read and its read repair.
 *   <li><b>No stale quorum read</b> (W + R > N): a read invoked after an acknowledged write of its
 *       key completed has seen that write (its clock covers the write's dots).
 *   <li><b>Dots are unique</b>: one dot, one value, wherever it is seen.
 * </ol>
 * Exceptions the simulated nodes threw from a task are violations too.
 *
 * <p>Thread-safety: stateless.
 */
final class SimChecker {
  /** What a violation is of. */
  enum Kind {
    LOST_WRITE, LOST_DELETE, RESURRECTED, SIBLINGS, DIVERGED, STALE_READ, DOT_REUSED, FINAL_READ_FAILED, ERROR,
    /**
     * A record that replicas merged (a read's answer, a replica's copy) holds more siblings than
     * maxSiblings. The main code bounds the versions a commit makes (PrimaryCommits.newVersion) but
     * not the merges of concurrent versions (Replica.merge, ReadRound's StoredRecord.sync), so
     * concurrent versions made by different primaries (split failure-detector views, blind and
     * context puts) can add up past the bound. A known finding, reported to the lead: counted, and
     * a violation only with {@code -Dsim.strict=true}.
     */
    SIBLINGS_MERGED;

    /** Whether the kind is a known finding that fails a run only in strict mode. */
    boolean known() {
      return this == SIBLINGS_MERGED;
    }
  }

  /** One broken promise, on one key ({@code null} for a run-wide one). */
  record Violation(Kind kind, @Nullable String key, String message) {
    @Override
    public String toString() {
      return kind + (key == null ? "" : " on " + key) + ": " + message;
    }
  }

  /**
   * The checks' outcome: the violations, the known findings ({@link Kind#known()}, violations too
   * in strict mode) and the counts the summary prints.
   */
  record Verdict(List<Violation> violations, List<Violation> findings, int acknowledgedWrites, int lostWrites) {
    boolean passed() {
      return violations.isEmpty();
    }
  }

  private SimChecker() {}

  /**
   * @param finalRecords per key, the record the final R = N read returned (absent: the read failed)
   * @param replicaRecords per key, per replica node, the record the replica holds at the end
   */
  static Verdict check(SimSettings settings, List<SimOperation> history, Map<String, @Nullable StoredRecord> finalRecords,
      Map<String, Map<String, @Nullable StoredRecord>> replicaRecords, List<String> errors) {
    List<Violation> violations = new ArrayList<>();
    for (String error : errors) {
      violations.add(new Violation(Kind.ERROR, null, error));
    }
    int acknowledgedWrites = 0;
    int lostWrites = 0;
    boolean strictQuorums = settings.strictQuorums();
    for (String key : replicaRecords.keySet()) {
      if (!finalRecords.containsKey(key)) {
        violations.add(new Violation(Kind.FINAL_READ_FAILED, key, "the final read at R = N failed"));
      }
    }
    for (SimOperation op : history) {
      if (!op.isWrite() || !op.acknowledged()) {
        continue;
      }
      acknowledgedWrites++;
      if (!finalRecords.containsKey(op.key)) {
        continue;
      }
      StoredRecord end = finalRecords.get(op.key);
      for (Dot dot : op.dots()) {
        if (end == null || !end.clock().covers(dot)) {
          if (op.kind == SimOperation.Kind.DELETE) {
            violations.add(new Violation(Kind.LOST_DELETE, op.key, "acknowledged delete #" + op.id + " (tombstone " + dot
                + ") is not covered by the final record " + SimOperation.describe(end)));
          } else {
            lostWrites++;
            violations.add(new Violation(Kind.LOST_WRITE, op.key, "acknowledged write #" + op.id + " of " + op.value + " (" + dot
                + ") is neither held nor overwritten in the final record " + SimOperation.describe(end)));
          }
          break;
        }
      }
      if (op.kind == SimOperation.Kind.DELETE && op.record != null && end != null) {
        for (Sibling s : end.siblings()) {
          if (!s.isTombstone() && op.record.clock().covers(s.dot())) {
            violations.add(new Violation(Kind.RESURRECTED, op.key, "value " + s.value().asUtf8() + " (" + s.dot()
                + ") that acknowledged delete #" + op.id + " removed is back in the final record " + SimOperation.describe(end)));
          }
        }
      }
    }
    if (strictQuorums) {
      staleReads(history, violations);
    }
    siblingBound(settings, history, finalRecords, replicaRecords, violations);
    convergence(replicaRecords, violations);
    uniqueDots(history, finalRecords, replicaRecords, violations);
    List<Violation> failing = new ArrayList<>();
    List<Violation> findings = new ArrayList<>();
    for (Violation v : violations) {
      (v.kind().known() && !strict() ? findings : failing).add(v);
    }
    return new Verdict(failing, findings, acknowledgedWrites, lostWrites);
  }

  /** Whether known findings fail a run too ({@code -Dsim.strict=true}). */
  static boolean strict() {
    return Boolean.getBoolean("sim.strict");
  }

  private static void staleReads(List<SimOperation> history, List<Violation> violations) {
    Map<String, List<SimOperation>> writesByKey = new HashMap<>();
    for (SimOperation op : history) {
      if (op.isWrite() && op.acknowledged()) {
        writesByKey.computeIfAbsent(op.key, k -> new ArrayList<>()).add(op);
      }
    }
    for (SimOperation read : history) {
      if (read.isWrite() || !read.acknowledged()) {
        continue;
      }
      for (SimOperation write : writesByKey.getOrDefault(read.key, List.of())) {
        if (write.completeMicros >= read.invokeMicros) {
          continue;
        }
        for (Dot dot : write.dots()) {
          if (read.record == null || !read.record.clock().covers(dot)) {
            violations.add(new Violation(Kind.STALE_READ, read.key, "read #" + read.id + " invoked after " + write.kind + " #"
                + write.id + " (" + dot + ") was acknowledged did not see it: " + SimOperation.describe(read.record)));
            break;
          }
        }
      }
    }
  }

  private static void siblingBound(SimSettings settings, List<SimOperation> history, Map<String, @Nullable StoredRecord> finalRecords,
      Map<String, Map<String, @Nullable StoredRecord>> replicaRecords, List<Violation> violations) {
    int bound = settings.maxSiblings();
    for (SimOperation op : history) {
      if (op.record != null && op.record.siblings().size() > bound) {
        // a write's answer is the version its primary made, which the commit bounds; a read's is a merge
        violations.add(new Violation(op.isWrite() ? Kind.SIBLINGS : Kind.SIBLINGS_MERGED, op.key, "#" + op.id + " (" + op.kind
            + ") was answered with " + op.record.siblings().size() + " siblings, past maxSiblings = " + bound + ": "
            + SimOperation.describe(op.record)));
      }
    }
    finalRecords.forEach((key, record) -> {
      if (record != null && record.siblings().size() > bound) {
        violations.add(new Violation(Kind.SIBLINGS_MERGED, key, "the final read holds " + record.siblings().size()
            + " siblings, past maxSiblings = " + bound + ": " + SimOperation.describe(record)));
      }
    });
    replicaRecords.forEach((key, held) -> held.forEach((node, record) -> {
      if (record != null && record.siblings().size() > bound) {
        violations.add(new Violation(Kind.SIBLINGS_MERGED, key, "replica " + node + " holds " + record.siblings().size()
            + " siblings, past maxSiblings = " + bound + ": " + SimOperation.describe(record)));
      }
    }));
  }

  /** The keys whose replicas do not all hold the same version. */
  static List<String> divergedKeys(Map<String, Map<String, @Nullable StoredRecord>> replicaRecords) {
    List<String> diverged = new ArrayList<>();
    replicaRecords.forEach((key, held) -> {
      StoredRecord first = null;
      boolean seen = false;
      for (StoredRecord record : held.values()) {
        if (!seen) {
          first = record;
          seen = true;
        } else if (!sameVersion(first, record)) {
          diverged.add(key);
          return;
        }
      }
    });
    return diverged;
  }

  private static void convergence(Map<String, Map<String, @Nullable StoredRecord>> replicaRecords, List<Violation> violations) {
    for (String key : divergedKeys(replicaRecords)) {
      StringBuilder held = new StringBuilder();
      replicaRecords.get(key).forEach((node, record) -> held.append("; ").append(node).append(": ")
          .append(SimOperation.describe(record)));
      violations.add(new Violation(Kind.DIVERGED, key, "replicas differ after the final read and its repair" + held));
    }
  }

  /**
   * Whether two replicas hold the same version: equal clocks and the same sibling dots. The order
   * of the siblings is not compared: {@link StoredRecord#write} appends the new sibling after the
   * ones it keeps while {@link StoredRecord#sync} sorts them, so one version may be held in two
   * orders (and {@link StoredRecord#equals}, which compares the lists, tells them apart).
   */
  static boolean sameVersion(@Nullable StoredRecord a, @Nullable StoredRecord b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (!a.clock().equals(b.clock()) || a.siblings().size() != b.siblings().size()) {
      return false;
    }
    java.util.Set<Dot> dots = new java.util.HashSet<>();
    for (Sibling s : a.siblings()) {
      dots.add(s.dot());
    }
    for (Sibling s : b.siblings()) {
      if (!dots.contains(s.dot())) {
        return false;
      }
    }
    return true;
  }

  private static void uniqueDots(List<SimOperation> history, Map<String, @Nullable StoredRecord> finalRecords,
      Map<String, Map<String, @Nullable StoredRecord>> replicaRecords, List<Violation> violations) {
    Map<String, Map<Dot, String>> valuesByKey = new HashMap<>();
    for (SimOperation op : history) {
      if (op.acknowledged()) {
        uniqueDots(op.key, op.record, "#" + op.id, valuesByKey, violations);
      }
    }
    finalRecords.forEach((key, record) -> uniqueDots(key, record, "the final read", valuesByKey, violations));
    replicaRecords.forEach((key, held) -> held.forEach((node, record) -> uniqueDots(key, record, "replica " + node, valuesByKey,
        violations)));
  }

  private static void uniqueDots(String key, @Nullable StoredRecord record, String where, Map<String, Map<Dot, String>> valuesByKey,
      List<Violation> violations) {
    if (record == null) {
      return;
    }
    Map<Dot, String> values = valuesByKey.computeIfAbsent(key, k -> new HashMap<>());
    for (Sibling s : record.siblings()) {
      String value = s.isTombstone() ? "(deleted)" : s.value().asUtf8();
      String before = values.putIfAbsent(s.dot(), value);
      if (before != null && !Objects.equals(before, value)) {
        violations.add(new Violation(Kind.DOT_REUSED, key, "dot " + s.dot() + " holds " + value + " in " + where + " but "
            + before + " elsewhere: two versions under one dot"));
        values.put(s.dot(), value);
      }
    }
  }
}
