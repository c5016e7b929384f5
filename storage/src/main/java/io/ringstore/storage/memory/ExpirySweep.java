package io.ringstore.storage.memory;

import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.env.Scheduler;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * Removes the expired records nobody reads: every {@link #INTERVAL} it walks up to
 * {@link #RECORDS_PER_RUN} records of its store, going on where the last run stopped and starting
 * over at the end. A whole pass that finds nothing expired doubles the time to the next run, up to
 * {@link #MAX_INTERVAL}; a run that finds something brings it back to {@link #INTERVAL}. So a
 * cache without expiring entries costs one short walk a minute. The walk is the store's own iterator, which removes every expired record it
 * meets and reports it to the engine's {@link io.ringstore.spi.RemovalListener} as expired; so
 * memory held by dead entries comes back within about {@code size / RECORDS_PER_RUN} intervals,
 * even in a cache that is only written.
 *
 * <p>The runs are the engine's {@link Scheduler} tasks, one at a time: each schedules the next
 * when it ends, and {@link #stop()} calls the next one off. A run that fails (a removal listener
 * that throws) is logged and the sweep goes on.
 *
 * <p>Thread-safety: thread-safe; runs never overlap.
 */
final class ExpirySweep {
  /** Time between two runs. */
  static final Duration INTERVAL = Duration.ofSeconds(1);
  /** The longest time between two runs, reached after passes that found nothing expired. */
  static final Duration MAX_INTERVAL = Duration.ofSeconds(64);
  /** The most live records one run steps over (expired ones it removes on the way do not count). */
  static final int RECORDS_PER_RUN = 10_000;

  private static final Logger LOG = System.getLogger(ExpirySweep.class.getName());

  private final String cacheName;
  private final Store store;
  private final Scheduler scheduler;

  // guarded by this
  private @Nullable Iterator<EngineEntry> cursor;
  private Scheduler.@Nullable Cancellable next;
  private boolean stopped;
  private Duration interval = INTERVAL;
  // expirations counted by the store when the current pass began
  private long expirationsAtPassStart;

  ExpirySweep(String cacheName, Store store, Scheduler scheduler) {
    this.cacheName = cacheName;
    this.store = store;
    this.scheduler = scheduler;
  }

  /** Schedules the first run. */
  synchronized void start() {
    if (!stopped && next == null) {
      next = scheduler.schedule(this::run, INTERVAL);
    }
  }

  /** Calls the next run off; a run under way finishes its walk. Idempotent. */
  void stop() {
    Scheduler.Cancellable pending;
    synchronized (this) {
      stopped = true;
      pending = next;
      next = null;
      cursor = null;
    }
    if (pending != null) {
      pending.cancel();
    }
  }

  /** One run: a bounded step of the walk, then the next run. */
  void run() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      try {
        long expirationsBefore = store.expirationCount();
        Iterator<EngineEntry> walk = cursor;
        if (walk == null || !walk.hasNext()) {
          walk = store.iterator();
          expirationsAtPassStart = expirationsBefore;
        }
        for (int i = 0; i < RECORDS_PER_RUN && walk.hasNext(); i++) {
          walk.next();
        }
        cursor = walk;
        long expirationsAfter = store.expirationCount();
        if (expirationsAfter > expirationsBefore) {
          interval = INTERVAL;
        } else if (!walk.hasNext() && expirationsAfter == expirationsAtPassStart) {
          // a whole pass found nothing expired (by the sweep or anyone else): back off
          Duration doubled = interval.multipliedBy(2);
          interval = doubled.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : doubled;
        }
      } catch (RuntimeException e) {
        cursor = null;
        LOG.log(Level.WARNING, "cache '" + cacheName + "': a sweep for expired entries failed; the next one starts over", e);
      }
      next = scheduler.schedule(this::run, interval);
    }
  }

  /** The time to the next run (tests). */
  synchronized Duration interval() {
    return interval;
  }
}
