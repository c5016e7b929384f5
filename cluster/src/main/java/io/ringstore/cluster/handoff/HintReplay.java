package io.ringstore.cluster.handoff;

import io.ringstore.cluster.replication.ClusterView;
import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Hands a node's hints to their targets once they are alive again: every
 * {@link HandoffSettings#replayInterval()} it looks for (keyspace, target) pairs with hints whose
 * target the {@link ClusterView} judges alive and starts a replay for each that has none running.
 * A replay walks the target's hints, sends each as a merge through the keyspace's
 * {@link Coordinator#handOffIfOpen coordinator} (at most {@link HandoffSettings#replayWindow()} in
 * flight, at most {@link HandoffSettings#replayBytesPerSecond()} a second), deletes each hint its
 * target acknowledged, drops (counts, marks for repair) those older than
 * {@link HandoffSettings#maxAge()}, drops those whose target no longer has the cache (never
 * opening it there again: the cache was destroyed since), and stops at the first failure (the next
 * look retries).
 * Hints whose target is down age out the same way, looked at every quarter of the age bound. A
 * target marked for repair (versions for it were not kept) is repaired with the keyspace's
 * anti-entropy once it is alive, and the mark cleared when the repair succeeded.
 *
 * <p>Thread-safety: thread-safe. Replays advance on the scheduler's thread and on the threads that
 * complete the hand-offs; each replay's state is guarded by its own lock.
 */
public final class HintReplay implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HintReplay.class.getName());

  /**
   * A keyspace's coordinator, the hints its primary keeps, and how to repair the keyspace with a
   * node whose hints were not kept (a repair of the two replicas' common ranges: completes with
   * whether it succeeded), or {@code null} if the keyspace is not repaired (it has an eviction bound).
   */
  public record Source(Coordinator coordinator, KeyspaceHints hints, @Nullable Function<String, CompletionStage<Boolean>> repair) {

    /** A source without repair. */
    public Source(Coordinator coordinator, KeyspaceHints hints) {
      this(coordinator, hints, null);
    }
  }

  private final String self;
  private final HandoffSettings settings;
  private final ClusterView cluster;
  private final Env env;
  private final Supplier<? extends Collection<Source>> sources;
  // the replays running, by keyspace and target
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private volatile Scheduler.@Nullable Cancellable next;
  private volatile boolean closed;
  private long lastSweepNanos;

  /**
   * A replay of {@code sources}' hints (asked anew at every look), not started.
   *
   * @param self this node's id, for the logs
   */
  public HintReplay(String self, HandoffSettings settings, ClusterView cluster, Env env,
      Supplier<? extends Collection<Source>> sources) {
    this.self = self;
    this.settings = settings;
    this.cluster = cluster;
    this.env = env;
    this.sources = sources;
    this.lastSweepNanos = env.ticker().nanos();
  }

  /** Starts looking for hints to hand off, every replay interval. */
  public void start() {
    schedule();
  }

  private void schedule() {
    if (!closed) {
      next = env.scheduler().schedule(this::look, settings.replayInterval());
    }
  }

  /** One look: a replay for every live target with hints and none running; expired hints of down targets dropped now and then. */
  void look() {
    try {
      long now = env.ticker().nanos();
      boolean sweep = now - lastSweepNanos >= settings.maxAge().toNanos() / 4;
      if (sweep) {
        lastSweepNanos = now;
      }
      for (Source source : sources.get()) {
        repairMarked(source);
        for (String target : source.hints().targets()) {
          if (cluster.isAlive(target) && !target.equals(self)) {
            String id = source.hints().keyspace() + "\u0000" + target;
            if (running.add(id)) {
              new Pass(id, source, target).pump();
            }
          } else if (sweep) {
            dropExpired(source.hints(), target);
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "node " + self + ": looking for hints to hand off failed", e);
    } finally {
      schedule();
    }
  }

  /** Repairs the keyspace with each live target whose missed versions no hint holds, one repair per target at a time. */
  private void repairMarked(Source source) {
    Function<String, CompletionStage<Boolean>> repair = source.repair();
    if (repair == null) {
      return;
    }
    for (String target : source.hints().repairMarks()) {
      String id = source.hints().keyspace() + "\u0001" + target;
      if (!cluster.isAlive(target) || target.equals(self) || !running.add(id)) {
        continue;
      }
      LOG.log(Level.INFO, () -> "node " + self + ": repairing cache '" + source.hints().keyspace() + "' with node " + target
          + ", which missed versions no hint holds");
      repair.apply(target).whenComplete((repaired, failure) -> {
        running.remove(id);
        if (failure == null && Boolean.TRUE.equals(repaired)) {
          source.hints().clearRepairMark(target);
        }
      });
    }
  }

  private void dropExpired(KeyspaceHints hints, String target) {
    long dropped = 0;
    for (Iterator<KeyspaceHints.Hint> it = hints.hintsFor(target); it.hasNext(); ) {
      KeyspaceHints.Hint hint = it.next();
      if (hints.isExpired(hint)) {
        hints.expire(hint);
        dropped++;
      }
    }
    if (dropped > 0) {
      long d = dropped;
      LOG.log(Level.WARNING, () -> "node " + self + ": dropped " + d + " hints of cache '" + hints.keyspace() + "' for node "
          + target + ", down for longer than ringstore.handoff.maxAgeMillis = " + settings.maxAge().toMillis()
          + " ms; its ranges are marked for anti-entropy repair");
    }
  }

  /** Whether a replay of keyspace {@code keyspace}'s hints for {@code target} is running now. */
  public boolean isReplaying(String keyspace, String target) {
    return running.contains(keyspace + "\u0000" + target);
  }

  /** Stops looking; replays running finish the hints they have in flight and stop. */
  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable n = next;
    if (n != null) {
      n.cancel();
    }
  }

  /** One replay of one keyspace's hints for one target. */
  private final class Pass {
    private final String id;
    private final Source source;
    private final String target;
    private final Iterator<KeyspaceHints.Hint> hints;
    private final long startNanos = env.ticker().nanos();
    // guarded by this
    private int inFlight;
    private boolean pumping;
    private boolean stopped;
    private @Nullable String failure;
    private double allowanceBytes;
    private long refilledNanos = startNanos;
    private long sent;
    private long delivered;
    private long bytes;
    private long expired;
    private boolean finished;

    Pass(String id, Source source, String target) {
      this.id = id;
      this.source = source;
      this.target = target;
      this.hints = source.hints().hintsFor(target);
      this.allowanceBytes = settings.replayBytesPerSecond() / 10.0; // a tenth of a second's worth to start
    }

    /** Sends hints while the window and the byte allowance allow; finishes when all are answered. */
    synchronized void pump() {
      if (pumping) {
        return; // a completion on the pumping thread: the loop below goes on
      }
      pumping = true;
      try {
        while (!stopped && !closed && inFlight < settings.replayWindow()) {
          refill();
          if (allowanceBytes <= 0) {
            long waitNanos = (long) Math.ceil(-allowanceBytes * 1e9 / settings.replayBytesPerSecond());
            env.scheduler().schedule(this::pump, Duration.ofNanos(Math.max(waitNanos, 1_000_000)));
            return;
          }
          if (!hints.hasNext()) {
            stopped = true;
            break;
          }
          KeyspaceHints.Hint hint = hints.next();
          if (source.hints().isExpired(hint)) {
            source.hints().expire(hint);
            expired++;
            continue;
          }
          long weight = hint.record().weightBytes(hint.hintKey().length());
          allowanceBytes -= weight;
          bytes += weight;
          inFlight++;
          sent++;
          source.coordinator().handOffIfOpen(target, hint.key(), hint.record())
              .whenComplete((reply, error) -> answered(hint, reply, error));
        }
        if ((stopped || closed) && inFlight == 0) {
          finish();
        }
      } finally {
        pumping = false;
      }
    }

    private void refill() {
      long now = env.ticker().nanos();
      double earned = (now - refilledNanos) / 1e9 * settings.replayBytesPerSecond();
      refilledNanos = now;
      allowanceBytes = Math.min(allowanceBytes + earned, settings.replayBytesPerSecond());
    }

    private void answered(KeyspaceHints.Hint hint, @Nullable ReplicaReply reply, @Nullable Throwable error) {
      synchronized (this) {
        inFlight--;
        if (error == null && reply instanceof ReplicaReply.Ack) {
          if (source.hints().delivered(hint)) {
            delivered++;
          }
        } else if (error == null && reply instanceof ReplicaReply.UnknownKeyspace) {
          // the target no longer has the cache (destroyed since): the hint is moot, and must not open it again
          source.hints().discard(hint);
        } else if (failure == null) {
          stopped = true;
          failure = error != null ? describe(error) : String.valueOf(reply);
        }
      }
      pump();
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      running.remove(id);
      long millis = (env.ticker().nanos() - startNanos) / 1_000_000;
      String keyspace = source.hints().keyspace();
      if (failure != null) {
        LOG.log(Level.DEBUG, () -> "node " + self + ": handing off hints of cache '" + keyspace + "' to node " + target
            + " stopped after " + delivered + " of " + sent + " sent: " + failure + "; retrying in "
            + settings.replayInterval().toMillis() + " ms");
      } else if (sent > 0 || expired > 0) {
        LOG.log(Level.INFO, () -> "node " + self + ": handed off " + delivered + " hints (" + bytes + " bytes) of cache '"
            + keyspace + "' to node " + target + " in " + millis + " ms"
            + (expired > 0 ? "; dropped " + expired + " older than ringstore.handoff.maxAgeMillis (ranges marked for repair)" : ""));
      }
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}
