package io.ringstore.spi;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.env.Env;
import java.util.Map;

/**
 * What an engine is opened with.
 *
 * <p>Invariants: {@code maxEntries >= 1} and {@code maxBytes >= 1}; {@link #UNBOUNDED} means no
 * bound. An engine with both bounds honours both.
 * <p>Thread-safety: immutable.
 *
 * @param cacheName the cache whose records the engine holds (for messages and file names)
 * @param maxEntries the most keys the engine may hold, or {@link #UNBOUNDED}
 * @param maxBytes the most bytes ({@link StoredRecord#weightBytes}) it may hold, or {@link #UNBOUNDED}
 * @param evictionPolicy what to give up past a bound
 * @param env time, scheduling and files
 * @param removalListener told of expirations and evictions
 * @param options engine-specific options by name; an engine rejects names it does not know
 */
public record EngineSettings(
    String cacheName,
    long maxEntries,
    long maxBytes,
    EvictionPolicy evictionPolicy,
    Env env,
    RemovalListener removalListener,
    Map<String, String> options) {

  /** No bound. */
  public static final long UNBOUNDED = Long.MAX_VALUE;

  public EngineSettings {
    requireNonNull(cacheName, "cacheName");
    requireNonNull(evictionPolicy, "evictionPolicy");
    requireNonNull(env, "env");
    requireNonNull(removalListener, "removalListener");
    options = Map.copyOf(options);
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache '" + cacheName + "': maxEntries = " + maxEntries + " is out of range; need >= 1");
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("cache '" + cacheName + "': maxBytes = " + maxBytes + " is out of range; need >= 1");
    }
  }

  /** Unbounded settings with the system environment, no listener and no options. */
  public static EngineSettings unbounded(String cacheName) {
    return new EngineSettings(cacheName, UNBOUNDED, UNBOUNDED, EvictionPolicy.NO_EVICTION, Env.system(), RemovalListener.NONE, Map.of());
  }

  /** Whether either bound is set. */
  public boolean isBounded() {
    return maxEntries != UNBOUNDED || maxBytes != UNBOUNDED;
  }

  /** These settings with another entry bound and policy. */
  public EngineSettings withMaxEntries(long newMaxEntries, EvictionPolicy policy) {
    return new EngineSettings(cacheName, newMaxEntries, maxBytes, policy, env, removalListener, options);
  }

  /** These settings with another byte bound and policy. */
  public EngineSettings withMaxBytes(long newMaxBytes, EvictionPolicy policy) {
    return new EngineSettings(cacheName, maxEntries, newMaxBytes, policy, env, removalListener, options);
  }

  /** These settings with another environment. */
  public EngineSettings withEnv(Env newEnv) {
    return new EngineSettings(cacheName, maxEntries, maxBytes, evictionPolicy, newEnv, removalListener, options);
  }

  /** These settings with another removal listener. */
  public EngineSettings withRemovalListener(RemovalListener listener) {
    return new EngineSettings(cacheName, maxEntries, maxBytes, evictionPolicy, env, listener, options);
  }
}
