package io.ringstore.cdi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import org.jspecify.annotations.Nullable;

/**
 * The {@code @CacheResult} method calls now running, one per (cache, key): what makes
 * {@link CacheResultInterceptor} stampede-free. The first caller that misses the cache takes off
 * (registers a {@link Flight}), runs the method and lands (completes the flight with the result or
 * the exception, then removes it); callers that miss while it is in flight wait for its outcome
 * instead of running the method again.
 *
 * <p>Invariants: at most one flight per (cache object, key); a flight is removed only by its owner,
 * after its outcome is complete, so a waiter never waits on a flight nobody will complete. The
 * cache is compared by identity (a cache re-created after a close is another cache).
 *
 * <p>Thread-safety: thread-safe (a concurrent map; a flight's outcome is a
 * {@link CompletableFuture}).
 */
final class LoadFlights {

  private final ConcurrentHashMap<Route, Flight> flights = new ConcurrentHashMap<>();

  /**
   * Registers {@code flight} for ({@code cache}, {@code key}) and returns null, or returns the
   * flight already registered there.
   */
  @Nullable Flight takeOff(Cache<?, ?> cache, Object key, Flight flight) {
    return flights.putIfAbsent(new Route(cache, key), flight);
  }

  /** Removes {@code flight}, whose outcome must be complete. */
  void land(Cache<?, ?> cache, Object key, Flight flight) {
    flights.remove(new Route(cache, key), flight);
  }

  /** Flights now running (for tests and diagnostics). */
  int inFlight() {
    return flights.size();
  }

  /** Callers now waiting on some flight (for tests and diagnostics). */
  int waiting() {
    int n = 0;
    for (Flight f : flights.values()) {
      n += f.waiters.get();
    }
    return n;
  }

  /** (cache by identity, key by equality). */
  private static final class Route {
    private final Cache<?, ?> cache;
    private final Object key;

    Route(Cache<?, ?> cache, Object key) {
      this.cache = cache;
      this.key = key;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Route r && r.cache == cache && r.key.equals(key);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(cache) * 31 + key.hashCode();
    }
  }

  /** One running call: its owner thread and its outcome. */
  static final class Flight {
    final Thread owner = Thread.currentThread();
    final CompletableFuture<@Nullable Object> outcome = new CompletableFuture<>();
    final AtomicInteger waiters = new AtomicInteger();
  }
}
