package io.ringstore.cluster.replication;

import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Purges a keyspace's tombstones once every replica of their key is known to hold them
 * (docs/tombstones.md), never on a timer alone: Cassandra's gc_grace "zombie" rows and Riak's
 * resurrected deletes come from purging a tombstone a replica has not seen, which then brings the
 * deleted value back through repair.
 *
 * <p>A sweep looks at this node's tombstones of keys whose first replica on the ring is this node
 * (so one node decides for each key) and purges one when:
 * <ol>
 *   <li>no membership change moves the key, and every replica of the key is judged alive (a down
 *       replica may hold an older version: it must get the tombstone first, by hinted handoff, read
 *       repair or anti-entropy);
 *   <li>the tombstone is older than the {@code grace}: the longest a version older than it can
 *       still arrive at a replica (the hint age bound, the write timeout), so no late hint or
 *       write can bring back what it deleted;
 *   <li>every replica answers a read of the key with this very tombstone (the same clock).
 * </ol>
 * Then every replica is asked to purge the key if it still holds that tombstone
 * ({@link ReplicaRequest.Purge}), this node last. A replica that missed the purge keeps the
 * tombstone, which repair spreads again and a later sweep purges: a tombstone may come back, the
 * value it deleted does not.
 *
 * <p>Thread-safety: thread-safe; a sweep's checks run on transport threads, its state under its
 * own lock; one sweep at a time.
 */
public final class TombstoneReaper {
  private static final System.Logger LOG = System.getLogger(TombstoneReaper.class.getName());

  /** The most tombstones one sweep looks at; the rest wait for the next. */
  public static final int MAX_PER_SWEEP = 10_000;
  /** The most keys a sweep checks at once. */
  static final int WINDOW = 16;

  /** What a sweep did: tombstones looked at, purged, and kept because a replica lacked them or did not answer. */
  public record Sweep(String keyspace, int candidates, int purged, int kept) {}

  private final Coordinator keyspace;
  private final Duration grace;
  private final Env env;
  private final Executor scans;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /**
   * @param grace how old a tombstone must be before it may be purged: at least the longest a
   *     version written before it can still arrive (the hint age bound and the write timeout)
   * @param scans where the scan of this node's engine runs
   */
  public TombstoneReaper(Coordinator keyspace, Duration grace, Env env, Executor scans) {
    this.keyspace = keyspace;
    this.grace = grace;
    this.env = env;
    this.scans = scans;
  }

  /**
   * One sweep. Completes with what it did (never exceptionally); a sweep asked for while one runs
   * completes at once with nothing done.
   */
  public CompletableFuture<Sweep> sweep() {
    String name = keyspace.settings().name();
    if (!sweeping.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(new Sweep(name, 0, 0, 0));
    }
    return CompletableFuture.supplyAsync(this::candidates, scans)
        .thenCompose(this::check)
        .handle((sweep, failure) -> {
          sweeping.set(false);
          if (failure != null) {
            LOG.log(Level.WARNING, () -> "cache '" + name + "': a tombstone sweep failed", failure);
            return new Sweep(name, 0, 0, 0);
          }
          if (sweep.purged() > 0 || sweep.kept() > 0) {
            LOG.log(Level.INFO, () -> "cache '" + name + "' on node " + keyspace.nodeId() + ": purged " + sweep.purged()
                + " tombstones every replica holds; kept " + sweep.kept() + " a replica lacks or did not confirm");
          }
          return sweep;
        });
  }

  /**
   * Sweeps every {@code interval}, until the returned handle is cancelled.
   */
  public Scheduler.Cancellable schedule(Duration interval) {
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicReference<Scheduler.@Nullable Cancellable> next = new AtomicReference<>();
    Runnable tick = new Runnable() {
      @Override
      public void run() {
        if (!stopped.get()) {
          sweep().whenComplete((sweep, failure) -> {
            if (!stopped.get()) {
              next.set(env.scheduler().schedule(this, interval));
            }
          });
        }
      }
    };
    next.set(env.scheduler().schedule(tick, interval));
    return () -> {
      stopped.set(true);
      Scheduler.Cancellable pending = next.get();
      if (pending != null) {
        pending.cancel();
      }
    };
  }

  /** The tombstones this node decides for that are past the grace and whose replicas are all alive. */
  private List<EngineEntry> candidates() {
    long nowMillis = env.clock().millis();
    List<EngineEntry> candidates = new ArrayList<>();
    for (Iterator<EngineEntry> it = keyspace.replica().engine().iterator(); it.hasNext() && candidates.size() < MAX_PER_SWEEP; ) {
      EngineEntry entry = it.next();
      StoredRecord record = entry.record();
      if (!record.isTombstone() || nowMillis - HybridLogicalClock.millisOf(record.timestamp()) <= grace.toMillis()) {
        continue;
      }
      Placement placement = keyspace.place(entry.key());
      if (placement.local() || placement.moving() || !placement.replicas().get(0).equals(keyspace.nodeId())
          || placement.live().size() < placement.replicas().size()) {
        continue;
      }
      candidates.add(entry);
    }
    return candidates;
  }

  /** Checks and purges {@code candidates}, {@value #WINDOW} at a time. */
  private CompletableFuture<Sweep> check(List<EngineEntry> candidates) {
    String name = keyspace.settings().name();
    CompletableFuture<Sweep> done = new CompletableFuture<>();
    Iterator<EngineEntry> queue = candidates.iterator();
    int[] counts = new int[3]; // in flight, purged, kept
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      List<EngineEntry> start = new ArrayList<>();
      synchronized (counts) {
        while (counts[0] < WINDOW && queue.hasNext()) {
          counts[0]++;
          start.add(queue.next());
        }
        if (counts[0] == 0 && !queue.hasNext()) {
          done.complete(new Sweep(name, candidates.size(), counts[1], counts[2]));
          return;
        }
      }
      for (EngineEntry entry : start) {
        reap(entry.key(), entry.record()).whenComplete((purged, failure) -> {
          synchronized (counts) {
            counts[0]--;
            counts[Boolean.TRUE.equals(purged) ? 1 : 2]++;
          }
          pump[0].run();
        });
      }
    };
    pump[0].run();
    return done;
  }

  /** Purges {@code tombstone} of {@code key} if every replica holds it; completes with whether it did. */
  private CompletableFuture<Boolean> reap(Bytes key, StoredRecord tombstone) {
    Placement placement = keyspace.place(key);
    if (placement.moving() || placement.live().size() < placement.replicas().size()) {
      return CompletableFuture.completedFuture(false);
    }
    String name = keyspace.settings().name();
    long timeout = keyspace.settings().readTimeout().toMillis();
    List<CompletableFuture<Boolean>> holds = new ArrayList<>();
    for (String node : placement.replicas()) {
      if (node.equals(keyspace.nodeId())) {
        holds.add(CompletableFuture.completedFuture(same(keyspace.localRead(key, true), tombstone)));
      } else {
        holds.add(keyspace.request(node, new ReplicaRequest.Read(name, key, true), timeout).toCompletableFuture()
            .handle((reply, failure) -> failure == null && reply instanceof ReplicaReply.Found found && same(found.record(), tombstone)));
      }
    }
    return CompletableFuture.allOf(holds.toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
      for (CompletableFuture<Boolean> held : holds) {
        if (!held.join()) {
          return CompletableFuture.completedFuture(false);
        }
      }
      List<CompletableFuture<?>> purges = new ArrayList<>();
      ReplicaRequest.Purge purge = new ReplicaRequest.Purge(name, key, tombstone.clock());
      for (String node : placement.replicas()) {
        if (!node.equals(keyspace.nodeId())) {
          purges.add(keyspace.request(node, purge, timeout).toCompletableFuture().exceptionally(e -> null));
        }
      }
      return CompletableFuture.allOf(purges.toArray(CompletableFuture[]::new))
          .thenApply(all -> keyspace.replica().purge(key, tombstone.clock()));
    });
  }

  private static boolean same(@Nullable StoredRecord held, StoredRecord tombstone) {
    return held != null && held.isTombstone() && held.clock().equals(tombstone.clock());
  }
}
