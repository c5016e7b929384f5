package io.ringstore.cluster.repair;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What one anti-entropy exchange of a keyspace between this node and {@code peer} did.
 *
 * <p>Thread-safety: immutable.
 *
 * @param keyspace the keyspace (cache)
 * @param peer the other node, or {@code ""} when the keyspace was skipped before any peer was chosen
 * @param ranges the token ranges the two compared (their shared scope)
 * @param leavesCompared the tree leaves compared (every leaf of every tree of the exchange)
 * @param leavesDiffering the leaves found to differ
 * @param keysDiffering the keys whose versions differed or that one side lacked
 * @param recordsPulled records read from the peer and merged into this node's replica
 * @param recordsPushed records sent to the peer to merge
 * @param skippedBounded whether the keyspace was skipped because it has an eviction bound (a
 *     cache, not a store of record)
 * @param duration how long the exchange took
 * @param failures what went wrong (a request that failed or timed out, a refusal); empty if all went well
 */
public record RepairReport(String keyspace, String peer, int ranges, long leavesCompared, long leavesDiffering,
    long keysDiffering, long recordsPulled, long recordsPushed, boolean skippedBounded, Duration duration,
    List<String> failures) {

  public RepairReport {
    requireNonNull(keyspace, "keyspace");
    requireNonNull(peer, "peer");
    requireNonNull(duration, "duration");
    failures = List.copyOf(failures);
  }

  /** The report of a keyspace skipped because it is bounded. */
  public static RepairReport skipped(String keyspace) {
    return new RepairReport(keyspace, "", 0, 0, 0, 0, 0, 0, true, Duration.ZERO, List.of());
  }

  /** Whether the exchange ran to its end without a failure. */
  public boolean succeeded() {
    return failures.isEmpty();
  }

  @Override
  public String toString() {
    if (skippedBounded) {
      return "repair of cache '" + keyspace + "': skipped (bounded: a cache with an eviction bound is not a store of record)";
    }
    return "repair of cache '" + keyspace + "' with " + peer + ": " + ranges + " ranges, " + leavesDiffering + " of "
        + leavesCompared + " leaves differ, " + keysDiffering + " keys differ, " + recordsPulled + " pulled, " + recordsPushed
        + " pushed, " + duration.toMillis() + " ms" + (failures.isEmpty() ? "" : ", " + failures.size() + " failures: " + failures);
  }
}
