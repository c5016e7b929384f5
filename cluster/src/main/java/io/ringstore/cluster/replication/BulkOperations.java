package io.ringstore.cluster.replication;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.RingstoreException;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * A keyspace's operations on many keys at once ({@link Coordinator#readAll},
 * {@link Coordinator#updateAll}): each key's part runs as the coordinator's single-key path would
 * run it, but the parts are in flight together, in windows of at most {@value #BULK_WINDOW} keys,
 * and each window's requests are sent inside one cork of the transport (one message per node, not
 * one per key).
 *
 * <p>Invariants: the outcome list has one entry per key, in the keys' order: a record,
 * {@code null}, or the {@link RuntimeException} that key's part failed with; one key's failure
 * never fails the others. A window is sent (its cork closed) before the calling thread waits for it.
 *
 * <p>Thread-safety: thread-safe (it holds only what is constant after construction); each bulk
 * operation runs on its calling thread, which also runs the handed steps of an update's decisions.
 */
final class BulkOperations {
  /** How many keys of a bulk operation are in flight at once. */
  static final int BULK_WINDOW = 256;

  // constant after construction
  private final Coordinator coordinator;
  private final KeyspaceSettings settings;
  private final Replica local;
  private final @Nullable ReplicaTransport transport;
  private final Ticker ticker;

  BulkOperations(Coordinator coordinator, KeyspaceSettings settings, Replica local, @Nullable ReplicaTransport transport,
      Ticker ticker) {
    this.coordinator = coordinator;
    this.settings = settings;
    this.local = local;
    this.transport = transport;
    this.ticker = ticker;
  }

  /** {@link Coordinator#readAll}: every key's read as {@link Coordinator#read(Bytes)} makes it, a window at a time. */
  List<@Nullable Object> readAll(List<Bytes> keys) {
    return bulk(keys, (i, placement, results) -> {
      if (placement.local()) {
        if (settings.readQuorum() > 1) {
          coordinator.requireLive(placement, settings.readQuorum(), "readQuorum R");
        }
        results.set(i, local.get(keys.get(i)));
        return null;
      }
      return coordinator.readRound(keys.get(i), settings.readQuorum(), false, placement);
    }, null, settings.readTimeout().toMillis());
  }

  /**
   * {@link Coordinator#updateAll}: every key's update as {@link Coordinator#update(Bytes, KeyOperation)}
   * makes it, a window at a time, the decisions on the calling thread.
   */
  List<@Nullable Object> updateAll(List<Bytes> keys, List<? extends KeyOperation> operations) {
    CallerThread caller = CallerThread.grouping(transport);
    return bulk(keys, (i, placement, results) -> {
      if (placement.local()) {
        results.set(i, coordinator.update(keys.get(i), operations.get(i)));
        return null;
      }
      return coordinator.updateRound(keys.get(i), operations.get(i), settings.writeQuorum(), settings.readQuorum(), placement,
          caller.executor());
    }, caller, coordinator.updateDeadlineMillis());
  }

  /** How a bulk operation starts one key's part. */
  private interface BulkStart {
    /**
     * Starts key {@code i}'s part: returns its round, or sets its outcome in {@code results} at
     * once and returns {@code null} (a key served by this node alone).
     */
    @Nullable CompletableFuture<@Nullable StoredRecord> start(int i, Placement placement, List<@Nullable Object> results);
  }

  /**
   * Starts every key's part, at most {@value #BULK_WINDOW} in flight, each window's requests sent
   * inside one cork of the transport, and collects the outcomes (a key whose start throws fails
   * alone).
   */
  private List<@Nullable Object> bulk(List<Bytes> keys, BulkStart start, @Nullable CallerThread caller, long timeoutMillis) {
    List<@Nullable Object> results = new ArrayList<>(keys.size());
    List<CompletableFuture<@Nullable StoredRecord>> pending = new ArrayList<>(Math.min(keys.size(), BULK_WINDOW));
    List<Integer> pendingIndexes = new ArrayList<>(Math.min(keys.size(), BULK_WINDOW));
    ReplicaTransport.Cork cork = cork();
    try {
      for (int i = 0; i < keys.size(); i++) {
        results.add(null);
        try {
          CompletableFuture<@Nullable StoredRecord> round = start.start(i, coordinator.place(keys.get(i)), results);
          if (round != null) {
            pending.add(round);
            pendingIndexes.add(i);
          }
        } catch (RuntimeException e) {
          results.set(i, e);
        }
        if (pending.size() == BULK_WINDOW) {
          cork.close(); // the window goes out before this thread waits for it
          collect(pending, pendingIndexes, results, caller, timeoutMillis);
          cork = cork();
        }
      }
    } finally {
      cork.close();
    }
    collect(pending, pendingIndexes, results, caller, timeoutMillis);
    return results;
  }

  /** A cork of the transport (one that holds nothing without a transport). */
  private ReplicaTransport.Cork cork() {
    ReplicaTransport t = transport;
    return t == null ? ReplicaTransport.Cork.NONE : t.cork();
  }

  /** Waits for {@code pending} (running handed steps on this thread), moving outcomes into {@code results}. */
  private void collect(List<CompletableFuture<@Nullable StoredRecord>> pending, List<Integer> indexes,
      List<@Nullable Object> results, @Nullable CallerThread caller, long timeoutMillis) {
    if (pending.isEmpty()) {
      return;
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    try {
      (caller == null ? new CallerThread(transport) : caller).await(all.handle((v, e) -> null), ticker, 2 * timeoutMillis,
          "a bulk operation of cache '" + settings.name() + "'");
    } catch (RuntimeException e) {
      for (int j = 0; j < pending.size(); j++) {
        if (!pending.get(j).isDone()) {
          results.set(indexes.get(j), e);
        }
      }
    }
    for (int j = 0; j < pending.size(); j++) {
      CompletableFuture<@Nullable StoredRecord> f = pending.get(j);
      if (!f.isDone()) {
        continue;
      }
      try {
        results.set(indexes.get(j), f.join());
      } catch (CompletionException e) {
        results.set(indexes.get(j), e.getCause() instanceof RuntimeException r ? r : new RingstoreException(String.valueOf(e.getCause()), e.getCause()));
      }
    }
    pending.clear();
    indexes.clear();
  }
}
