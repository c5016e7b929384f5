package io.ringstore.provider.event;

import java.io.Closeable;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * One registered listener: its configuration, the listener and filter its factories made, the
 * event types it listens to, and (if asynchronous) its per-key delivery chains.
 *
 * <p>Invariants: {@link #typeMask} has the bit of each {@link EventType} whose sub-interface the
 * listener implements, and nothing else. For an asynchronous registration, at most one delivery task
 * per key runs at a time and tasks of one key run in submission order ({@link #tails} holds the
 * last task of each key with work pending).
 *
 * <p>Bound: at most {@code maxPendingTasks} asynchronous delivery tasks wait or run at once. Past
 * it, a producer waits up to {@code backpressureWaitNanos} for room; if none frees (a listener is
 * stuck), the task is queued beyond the bound and a WARNING names the listener and the bound.
 * Threads that are themselves delivering this registration's events never wait (that could
 * deadlock). No event is ever dropped.
 *
 * <p>Thread-safety: thread-safe. Delivery to a synchronous registration runs on the caller's thread.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class Registration<K, V> {

  private static final System.Logger LOG = System.getLogger(Registration.class.getName());

  // constant after construction
  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final @Nullable CacheEntryEventFilter<? super K, ? super V> filter;
  private final int typeMask;
  private final Executor executor;
  private final @Nullable ClassLoader classLoader;
  private final int maxPendingTasks;
  private final long backpressureWaitNanos;
  private final Semaphore permits;
  private final ThreadLocal<Boolean> delivering = new ThreadLocal<>();

  // concurrent state
  private final ConcurrentHashMap<Object, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
  private final AtomicLong overdrafts = new AtomicLong();

  Registration(
      CacheEntryListenerConfiguration<K, V> configuration,
      CacheEntryListener<? super K, ? super V> listener,
      @Nullable CacheEntryEventFilter<? super K, ? super V> filter,
      Executor executor,
      @Nullable ClassLoader classLoader,
      int maxPendingTasks,
      long backpressureWaitNanos) {
    this.configuration = configuration;
    this.listener = listener;
    this.filter = filter;
    this.typeMask = typeMaskOf(listener);
    this.executor = executor;
    this.classLoader = classLoader;
    this.maxPendingTasks = maxPendingTasks;
    this.backpressureWaitNanos = backpressureWaitNanos;
    this.permits = new Semaphore(maxPendingTasks);
  }

  static int bit(EventType type) {
    return 1 << type.ordinal();
  }

  static int typeMaskOf(CacheEntryListener<?, ?> listener) {
    int mask = 0;
    if (listener instanceof CacheEntryCreatedListener) {
      mask |= bit(EventType.CREATED);
    }
    if (listener instanceof CacheEntryUpdatedListener) {
      mask |= bit(EventType.UPDATED);
    }
    if (listener instanceof CacheEntryRemovedListener) {
      mask |= bit(EventType.REMOVED);
    }
    if (listener instanceof CacheEntryExpiredListener) {
      mask |= bit(EventType.EXPIRED);
    }
    return mask;
  }

  CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  int typeMask() {
    return typeMask;
  }

  boolean isSynchronous() {
    return configuration.isSynchronous();
  }

  /** Keys with asynchronous deliveries queued or running (for tests and diagnostics). */
  int pendingTasks() {
    return tails.size();
  }

  /**
   * Delivers {@code events} (in order) to this synchronous registration on the calling thread.
   *
   * @return the first failure of the filter or listener, or null; delivery to this registration
   *     stops at the first failure
   */
  @Nullable Throwable deliverNow(List<EntryEvent<K, V>> events) {
    try {
      deliver(events);
      return null;
    } catch (Throwable failure) { // NOPMD: errors reach the caller unchanged through ListenerRegistry
      return failure;
    }
  }

  /**
   * Queues {@code events} for this asynchronous registration: one task per key, chained after the
   * key's previous task, so that events of one key are delivered in order.
   */
  void enqueue(List<EntryEvent<K, V>> events) {
    if (events.size() == 1) {
      EntryEvent<K, V> event = events.get(0);
      if ((typeMask & bit(event.getEventType())) != 0) {
        submit(event.getKey(), List.of(event));
      }
      return;
    }
    Map<Object, List<EntryEvent<K, V>>> byKey = new LinkedHashMap<>();
    for (EntryEvent<K, V> event : events) {
      if ((typeMask & bit(event.getEventType())) != 0) {
        byKey.computeIfAbsent(event.getKey(), k -> new ArrayList<>(2)).add(event);
      }
    }
    byKey.forEach(this::submit);
  }

  private void submit(Object key, List<EntryEvent<K, V>> events) {
    boolean permitted = acquirePermit();
    Runnable task = () -> runTask(events, permitted);
    CompletableFuture<Void> next = tails.compute(key, (k, tail) -> tail == null
        ? CompletableFuture.runAsync(task, this::execute)
        : tail.thenRunAsync(task, this::execute));
    // Outside compute: whenComplete may run at once, and must not touch the map from inside compute.
    next.whenComplete((ignored, error) -> tails.remove(key, next));
  }

  private void runTask(List<EntryEvent<K, V>> events, boolean permitted) {
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    delivering.set(Boolean.TRUE);
    try {
      if (classLoader != null) {
        Thread.currentThread().setContextClassLoader(classLoader);
      }
      deliver(events);
    } catch (Throwable failure) { // NOPMD: an asynchronous listener's failure has no caller
      LOG.log(Level.WARNING, () -> "asynchronous cache entry listener "
          + listener.getClass().getName() + " failed; its exception is logged, not propagated",
          failure);
      if (failure instanceof VirtualMachineError vmError) {
        throw vmError;
      }
    } finally {
      delivering.remove();
      Thread.currentThread().setContextClassLoader(previous);
      if (permitted) {
        permits.release();
      }
    }
  }

  /** Runs the task on the executor, or on this thread if the executor refuses it (shut down). */
  private void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.log(Level.DEBUG, "listener executor refused a delivery task; running it on the caller", e);
      task.run();
    }
  }

  private boolean acquirePermit() {
    if (permits.tryAcquire()) {
      return true;
    }
    if (delivering.get() == null) {
      try {
        if (permits.tryAcquire(backpressureWaitNanos, TimeUnit.NANOSECONDS)) {
          return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long count = overdrafts.incrementAndGet();
    if (count == 1 || count % 10_000 == 0) {
      LOG.log(Level.WARNING, () -> String.format(
          "asynchronous cache entry listener %s is behind: its pending delivery tasks reached the"
              + " limit of %d and no room freed within %d ms; queuing beyond the limit rather than"
              + " dropping events (%d times so far)",
          listener.getClass().getName(), maxPendingTasks,
          TimeUnit.NANOSECONDS.toMillis(backpressureWaitNanos), count));
    }
    return false;
  }

  /** Filters, then delivers runs of consecutive same-type events in one listener call each. */
  private void deliver(List<EntryEvent<K, V>> events) {
    List<CacheEntryEvent<? extends K, ? extends V>> run = new ArrayList<>(events.size());
    @Nullable EventType runType = null;
    boolean oldValueRequired = configuration.isOldValueRequired();
    for (EntryEvent<K, V> event : events) {
      EventType type = event.getEventType();
      if ((typeMask & bit(type)) == 0 || (filter != null && !filter.evaluate(event))) {
        continue;
      }
      if (type != runType && !run.isEmpty()) {
        call(runType, run);
        run = new ArrayList<>(events.size());
      }
      runType = type;
      run.add(oldValueRequired ? event : event.withoutOldValue());
    }
    if (!run.isEmpty()) {
      call(runType, run);
    }
  }

  @SuppressWarnings("unchecked")
  private void call(EventType type, List<CacheEntryEvent<? extends K, ? extends V>> run) {
    Iterable<CacheEntryEvent<? extends K, ? extends V>> events = Collections.unmodifiableList(run);
    switch (type) {
      case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(events);
      case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(events);
      case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(events);
      case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(events);
    }
  }

  /**
   * Closes the listener and filter if they are {@link Closeable} (or {@link AutoCloseable}), after
   * the asynchronous deliveries already queued have run.
   */
  void close() {
    CompletableFuture<?>[] pending = tails.values().toArray(CompletableFuture[]::new);
    if (pending.length == 0) {
      closeNow();
    } else {
      CompletableFuture.allOf(pending).whenComplete((ignored, error) -> closeNow());
    }
  }

  private void closeNow() {
    closeQuietly(listener, "listener");
    if (filter != null && filter != listener) {
      closeQuietly(filter, "filter");
    }
  }

  private static void closeQuietly(Object resource, String role) {
    if (resource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, () -> "closing cache entry " + role + " "
            + resource.getClass().getName() + " failed", e);
      }
    }
  }
}
