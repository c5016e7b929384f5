package io.ringstore.provider.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * The cache entry listeners registered on one cache, and the delivery of that cache's events to
 * them.
 *
 * <p>Registration creates the listener and filter from the configuration's factories (with the
 * cache's class loader as the thread's context class loader). A listener receives only the event
 * types whose sub-interface it implements ({@code CacheEntryCreatedListener} etc.); its filter, if
 * any, sees each event first (with the old value, as in the reference implementation) and decides
 * whether the listener gets it. A registration with {@code isOldValueRequired() == false} gets
 * events without old values.
 *
 * <p>Delivery (through {@link EventBatch#fire()}): a synchronous listener runs on the calling
 * thread before {@code fire()} returns, getting the batch's events in order, consecutive events of
 * one type in one call. A runtime exception from it or its filter reaches the caller as a {@link
 * CacheEntryListenerException} (an {@link Error} unchanged, and preferred over exceptions when
 * several fail; the others are suppressed), after the other synchronous listeners have had their
 * events. An asynchronous listener gets the events on the executor: one task per key
 * and batch, chained after that key's previous task, so the events of one key are delivered in
 * the order their batches were fired. (Two threads writing one key fire after the key is released,
 * so their asynchronous events may be delivered in either order; a per-key sequence taken while the
 * key is held would fix that and is not done yet.) Its
 * exceptions are logged (WARNING) and not propagated. At most {@value #DEFAULT_MAX_PENDING_TASKS}
 * tasks per asynchronous listener are pending; past that a producer waits up to one second for
 * room, then queues beyond the bound with a WARNING -- events are never dropped (see {@link
 * Registration}).
 *
 * <p>Other nodes (a clustered cache): the registry's {@link EventRelay} is asked once per operation
 * ({@link #newBatch()}) whether another node listens on this cache; if so the operation's batch
 * records every event type with old values and, when fired, goes to the relay before the local
 * listeners get it. Events the relay hears from other nodes come in through {@link #remoteBatch()}
 * and reach only this node's listeners. The relay is told when the first listener registers and
 * when the last one goes.
 *
 * <p>Invariants: no two registrations have equal configurations; {@link #wants(EventType)} is true
 * exactly when some registration's listener implements that type's interface, or when the last
 * operation found another node listening; after {@link #close()} nothing is registered and
 * registration fails.
 *
 * <p>Thread-safety: thread-safe. Registration changes are serialised by a lock and published as an
 * immutable snapshot through a volatile field; event delivery reads the snapshot without locking.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ListenerRegistry<K, V> implements AutoCloseable {

  /** Default bound on pending asynchronous delivery tasks, per asynchronous listener. */
  static final int DEFAULT_MAX_PENDING_TASKS = 16_384;

  /** Default time a producer waits for room when an asynchronous listener is at its bound. */
  static final Duration DEFAULT_BACKPRESSURE_WAIT = Duration.ofSeconds(1);

  // constant after construction
  private final Cache<K, V> source;
  private final Executor asyncExecutor;
  private final @Nullable ClassLoader classLoader;
  private final int maxPendingTasks;
  private final long backpressureWaitNanos;
  private final EventRelay<K, V> relay;
  private final Object lock = new Object();

  // written under lock, read without it
  private volatile List<Registration<K, V>> registrations = List.of();
  private volatile int typeMask;
  private volatile boolean closed;
  // the relay's last answer to othersListen(), written by newBatch() only when it changes
  private volatile boolean othersListen;

  /**
   * Creates an empty registry.
   *
   * @param source the cache that events name as their source
   * @param asyncExecutor runs asynchronous listeners; if it refuses a task (shut down), the task
   *     runs on the thread that submitted it
   * @param classLoader the cache's class loader, the context class loader while factories create
   *     listeners and filters and while asynchronous listeners run (null: leave it unchanged)
   */
  public ListenerRegistry(Cache<K, V> source, Executor asyncExecutor, @Nullable ClassLoader classLoader) {
    this(source, asyncExecutor, classLoader, EventRelay.none());
  }

  /**
   * Creates an empty registry whose cache's events also go to, and come from, other nodes through
   * {@code relay} (see {@link #newBatch()}, {@link #remoteBatch()}).
   *
   * @param relay the cache's link to the other nodes' listeners; {@link EventRelay#none()} if alone
   */
  public ListenerRegistry(
      Cache<K, V> source, Executor asyncExecutor, @Nullable ClassLoader classLoader, EventRelay<K, V> relay) {
    this(source, asyncExecutor, classLoader, DEFAULT_MAX_PENDING_TASKS, DEFAULT_BACKPRESSURE_WAIT, relay);
  }

  ListenerRegistry(
      Cache<K, V> source,
      Executor asyncExecutor,
      @Nullable ClassLoader classLoader,
      int maxPendingTasks,
      Duration backpressureWait) {
    this(source, asyncExecutor, classLoader, maxPendingTasks, backpressureWait, EventRelay.none());
  }

  ListenerRegistry(
      Cache<K, V> source,
      Executor asyncExecutor,
      @Nullable ClassLoader classLoader,
      int maxPendingTasks,
      Duration backpressureWait,
      EventRelay<K, V> relay) {
    this.source = Objects.requireNonNull(source, "source");
    this.relay = Objects.requireNonNull(relay, "relay");
    this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "asyncExecutor");
    this.classLoader = classLoader;
    if (maxPendingTasks < 1) {
      throw new IllegalArgumentException(
          "maxPendingTasks = " + maxPendingTasks + " is out of range; need >= 1");
    }
    this.maxPendingTasks = maxPendingTasks;
    this.backpressureWaitNanos = backpressureWait.toNanos();
  }

  /**
   * Registers a listener: creates it and its filter from the configuration's factories.
   *
   * @throws NullPointerException if {@code configuration} is null
   * @throws IllegalArgumentException if an equal configuration is already registered, or the
   *     configuration has no listener factory or its factory makes null
   * @throws IllegalStateException if the registry is closed
   */
  public void register(CacheEntryListenerConfiguration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(
            "cache '" + source.getName() + "' is closed; cannot register a listener");
      }
      for (Registration<K, V> registration : registrations) {
        if (registration.configuration().equals(configuration)) {
          throw new IllegalArgumentException("cache '" + source.getName()
              + "': an equal listener configuration is already registered; "
              + "a configuration can be registered once");
        }
      }
      Factory<CacheEntryListener<? super K, ? super V>> listenerFactory =
          configuration.getCacheEntryListenerFactory();
      if (listenerFactory == null) {
        throw new IllegalArgumentException("cache '" + source.getName()
            + "': the listener configuration's CacheEntryListenerFactory is null");
      }
      CacheEntryListener<? super K, ? super V> listener = withClassLoader(listenerFactory::create);
      if (listener == null) {
        throw new IllegalArgumentException("cache '" + source.getName() + "': the listener factory "
            + listenerFactory.getClass().getName() + " created null");
      }
      Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
          configuration.getCacheEntryEventFilterFactory();
      CacheEntryEventFilter<? super K, ? super V> filter =
          filterFactory == null ? null : withClassLoader(filterFactory::create);
      List<Registration<K, V>> next = new ArrayList<>(registrations);
      next.add(new Registration<>(configuration, listener, filter, asyncExecutor, classLoader,
          maxPendingTasks, backpressureWaitNanos));
      boolean first = registrations.isEmpty();
      publish(next);
      if (first) {
        // after publishing: a frame heard as soon as the consumer exists finds the listener
        relay.listening(true);
      }
    }
  }

  /**
   * Removes the registration with a configuration equal to this one, if any, and closes its
   * listener and filter if they are {@link java.io.Closeable} (after its queued asynchronous
   * events are delivered). No effect if none is registered.
   *
   * @throws NullPointerException if {@code configuration} is null
   */
  public void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    Registration<K, V> removed = null;
    synchronized (lock) {
      List<Registration<K, V>> next = new ArrayList<>(registrations);
      for (int i = 0; i < next.size(); i++) {
        if (next.get(i).configuration().equals(configuration)) {
          removed = next.remove(i);
          publish(next);
          if (next.isEmpty()) {
            relay.listening(false);
          }
          break;
        }
      }
    }
    if (removed != null) {
      removed.close();
    }
  }

  /** The configurations registered now, in registration order (an immutable snapshot). */
  public List<CacheEntryListenerConfiguration<K, V>> configurations() {
    List<CacheEntryListenerConfiguration<K, V>> result = new ArrayList<>();
    for (Registration<K, V> registration : registrations) {
      result.add(registration.configuration());
    }
    return List.copyOf(result);
  }

  /**
   * True if some registered listener listens to events of this type. One volatile read: lets the
   * cache skip fetching old values or building events.
   */
  public boolean wants(EventType type) {
    if ((typeMask & Registration.bit(type)) != 0) {
      return true;
    }
    if (type == EventType.EXPIRED) {
      // expiries are noticed outside operations (the engine's removals), where no newBatch() has
      // refreshed what the relay knows; they are rare enough to ask it
      return refreshOthersListen();
    }
    return othersListen;
  }

  private boolean refreshOthersListen() {
    boolean others = relay.othersListen();
    if (others != othersListen) {
      othersListen = others;
    }
    return others;
  }

  /**
   * A batch to collect one operation's events: the shared no-op batch (no allocation) when
   * nothing listens, here or (through the relay) on another node. A batch made while another node
   * listens records every event type, with old values, and {@link EventBatch#fire()} also hands its
   * events to the relay; {@link #wants(EventType)} is then true for every type until a later
   * operation finds nobody else listening.
   */
  public EventBatch<K, V> newBatch() {
    if (refreshOthersListen()) {
      return new EventBatch<>(this, true);
    }
    return typeMask == 0 ? EventBatch.noOp() : new EventBatch<>(this, false);
  }

  /**
   * A batch for events another node's operation caused (the relay fills and fires it): it records
   * only the types local listeners want, and firing it delivers to this node's listeners only. A
   * synchronous listener runs on the thread that fires it, not on the operation's.
   */
  public EventBatch<K, V> remoteBatch() {
    return typeMask == 0 ? EventBatch.noOp() : new EventBatch<>(this, false);
  }


  /**
   * Deregisters everything and closes each listener and filter that is {@link java.io.Closeable}
   * (an asynchronous one after its queued events are delivered); later registrations fail.
   * Idempotent. Failures to close are logged, not thrown.
   */
  @Override
  public void close() {
    List<Registration<K, V>> closing;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      closing = registrations;
      publish(List.of());
      if (!closing.isEmpty()) {
        relay.listening(false);
      }
    }
    for (Registration<K, V> registration : closing) {
      registration.close();
    }
  }

  /** True once {@link #close()} has run. */
  public boolean isClosed() {
    return closed;
  }

  Cache<K, V> source() {
    return source;
  }

  /** Keys with asynchronous deliveries queued or running, over all registrations (diagnostics). */
  int pendingAsyncTasks() {
    int pending = 0;
    for (Registration<K, V> registration : registrations) {
      pending += registration.pendingTasks();
    }
    return pending;
  }

  /**
   * Delivers one batch's events; called by {@link EventBatch#fire()}. If {@code toOthers}, the
   * relay gets them first (it does not block), so that a failing local listener cannot keep them
   * from the other nodes.
   */
  void dispatch(List<EntryEvent<K, V>> events, boolean toOthers) {
    if (toOthers) {
      relay.publish(events);
    }
    int batchMask = 0;
    for (EntryEvent<K, V> event : events) {
      batchMask |= Registration.bit(event.getEventType());
    }
    Throwable failure = null;
    for (Registration<K, V> registration : registrations) {
      if ((registration.typeMask() & batchMask) == 0) {
        continue;
      }
      if (registration.isSynchronous()) {
        Throwable thrown = registration.deliverNow(events);
        if (thrown != null) {
          failure = combine(failure, thrown);
        }
      } else {
        registration.enqueue(events);
      }
    }
    if (failure != null) {
      throw toCallerException(failure);
    }
  }

  /** The first failure, with later ones suppressed; an {@link Error} takes precedence. */
  private static Throwable combine(@Nullable Throwable first, Throwable next) {
    if (first == null || first == next) {
      return next;
    }
    if (next instanceof Error && !(first instanceof Error)) {
      next.addSuppressed(first);
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private RuntimeException toCallerException(Throwable failure) {
    if (failure instanceof Error error) {
      throw error; // an Error is not wrapped (the TCK expects it unchanged)
    }
    if (failure instanceof CacheEntryListenerException listenerException) {
      return listenerException;
    }
    return new CacheEntryListenerException("cache '" + source.getName()
        + "': a synchronous cache entry listener or filter threw " + failure.getClass().getName(),
        failure);
  }

  private void publish(List<Registration<K, V>> next) {
    int mask = 0;
    for (Registration<K, V> registration : next) {
      mask |= registration.typeMask();
    }
    registrations = List.copyOf(next);
    typeMask = mask;
  }

  private <T> T withClassLoader(Supplier<T> action) {
    if (classLoader == null) {
      return action.get();
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(classLoader);
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
