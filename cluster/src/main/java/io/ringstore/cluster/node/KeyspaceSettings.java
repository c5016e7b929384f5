package io.ringstore.cluster.node;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import java.time.Duration;
import java.util.Map;

/**
 * How one keyspace (the storage of one cache) is kept: its engine, bounds and eviction, and its
 * replication: N replicas, W acknowledgements per write, R answers per read.
 *
 * <p>Invariants, checked at construction with messages that name the setting, the value and the
 * allowed range: {@code 1 <= W <= N}, {@code 1 <= R <= N}, {@code N >= 1}, bounds {@code >= 1},
 * timeouts positive, {@code maxSiblings >= 1}, {@code maxClockEntries >= 1}.
 * <p>Thread-safety: immutable.
 *
 * @param name the keyspace (cache) name
 * @param storageEngine the engine's factory name, e.g. {@code memory}
 * @param engineOptions engine-specific options
 * @param maxEntries entry bound, or {@code EngineSettings.UNBOUNDED}
 * @param maxBytes byte bound, or {@code EngineSettings.UNBOUNDED}
 * @param evictionPolicy what to give up past a bound
 * @param replicationFactor N
 * @param writeQuorum W
 * @param readQuorum R
 * @param readTimeout how long a read waits for R answers
 * @param writeTimeout how long a write waits for W acknowledgements
 * @param maxSiblings the most concurrent values a key may hold
 * @param maxClockEntries the most actors a key's vector clock keeps before pruning
 * @param removalListener told when a replica's engine expires or evicts a record
 */
public record KeyspaceSettings(
    String name,
    String storageEngine,
    Map<String, String> engineOptions,
    long maxEntries,
    long maxBytes,
    EvictionPolicy evictionPolicy,
    int replicationFactor,
    int writeQuorum,
    int readQuorum,
    Duration readTimeout,
    Duration writeTimeout,
    int maxSiblings,
    int maxClockEntries,
    RemovalListener removalListener) {

  public KeyspaceSettings {
    requireNonNull(name, "name");
    requireNonNull(storageEngine, "storageEngine");
    requireNonNull(evictionPolicy, "evictionPolicy");
    requireNonNull(readTimeout, "readTimeout");
    requireNonNull(writeTimeout, "writeTimeout");
    requireNonNull(removalListener, "removalListener");
    engineOptions = Map.copyOf(engineOptions);
    String where = "cache '" + name + "': ";
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(where + "replicationFactor N = " + replicationFactor + " is out of range; need N >= 1");
    }
    if (writeQuorum < 1 || writeQuorum > replicationFactor) {
      throw new IllegalArgumentException(where + (writeQuorum < 1
          ? "writeQuorum W = " + writeQuorum + " is out of range; need 1 <= W <= N (N = " + replicationFactor + ")"
          : "writeQuorum W = " + writeQuorum + " exceeds replicationFactor N = " + replicationFactor + "; need 1 <= W <= N"));
    }
    if (readQuorum < 1 || readQuorum > replicationFactor) {
      throw new IllegalArgumentException(where + (readQuorum < 1
          ? "readQuorum R = " + readQuorum + " is out of range; need 1 <= R <= N (N = " + replicationFactor + ")"
          : "readQuorum R = " + readQuorum + " exceeds replicationFactor N = " + replicationFactor + "; need 1 <= R <= N"));
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException(where + "maxEntries = " + maxEntries + " is out of range; need >= 1");
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException(where + "maxBytes = " + maxBytes + " is out of range; need >= 1");
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException(where + "readTimeout = " + readTimeout + " is out of range; need > 0");
    }
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException(where + "writeTimeout = " + writeTimeout + " is out of range; need > 0");
    }
    if (maxSiblings < 1) {
      throw new IllegalArgumentException(where + "maxSiblings = " + maxSiblings + " is out of range; need >= 1");
    }
    if (maxClockEntries < 1) {
      throw new IllegalArgumentException(where + "maxClockEntries = " + maxClockEntries + " is out of range; need >= 1");
    }
  }
}
