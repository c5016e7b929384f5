package io.ringstore.cluster.vertx;

import io.ringstore.cluster.vertx.Change.MapClear;
import io.ringstore.cluster.vertx.Change.MapRemove;
import io.ringstore.cluster.vertx.Change.MapWrite;
import io.ringstore.cluster.vertx.Change.WriteMode;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The synchronous cluster-wide map of {@code getSyncMap} (Vert.x HA keeps its node table in one).
 *
 * <p><b>Reads</b> ({@code get}, {@code containsKey}, {@code size}, {@code entrySet}) answer from
 * this member's replica at once, without the coordinator: they see every change this member has
 * applied (the sequence up to some point, never a change out of order), but may miss the newest.
 * <b>Writes</b> ({@code put}, {@code putIfAbsent}, {@code remove}, {@code clear}) are sequenced
 * like the async map's and wait (at most three request timeouts) until every member applied them,
 * then return the previous value as of that point. On a Vert.x event-loop thread a write does
 * not wait, since the reply may have to come through that very thread: it is sent, and returns
 * this member's previous value as read before sending.
 *
 * <p>Thread-safety: thread-safe; {@code entrySet} is an unmodifiable copy.
 */
final class ClusterSyncMap<K, V> extends AbstractMap<K, V> {
  private static final System.Logger LOG = System.getLogger(ClusterSyncMap.class.getName());

  // constant after construction
  private final SharedState state;
  private final String name;
  private final Duration waitBound;

  ClusterSyncMap(SharedState state, String name, Duration requestTimeout) {
    this.state = state;
    this.name = name;
    this.waitBound = requestTimeout.multipliedBy(3);
  }

  @Override
  @SuppressWarnings("unchecked")
  public @Nullable V get(Object key) {
    Bytes k = keyOrNull(key);
    Bytes v = k == null ? null : state.localGet(name, k);
    return v == null ? null : (V) state.codec().decode(v.unsafeArray());
  }

  @Override
  public boolean containsKey(Object key) {
    Bytes k = keyOrNull(key);
    return k != null && state.localGet(name, k) != null;
  }

  @Override
  public int size() {
    return state.localSize(name);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Set<Map.Entry<K, V>> entrySet() {
    Set<Map.Entry<K, V>> copy = new LinkedHashSet<>();
    for (Map.Entry<Bytes, Bytes> e : state.localEntries(name)) {
      copy.add(new AbstractMap.SimpleImmutableEntry<>((K) state.codec().decode(e.getKey().unsafeArray()),
          (V) state.codec().decode(e.getValue().unsafeArray())));
    }
    return Collections.unmodifiableSet(copy);
  }

  @Override
  public @Nullable V put(K key, V value) {
    return write(WriteMode.PUT, key, value);
  }

  @Override
  public @Nullable V putIfAbsent(K key, V value) {
    return write(WriteMode.PUT_IF_ABSENT, key, value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public @Nullable V remove(Object key) {
    Bytes k = keyOrNull(key);
    if (k == null) {
      return null;
    }
    return (V) await(k, () -> state.operate((origin, opId) -> new MapRemove(origin, opId, name, k, null)));
  }

  @Override
  public void clear() {
    await(null, () -> state.operate((origin, opId) -> new MapClear(origin, opId, name)));
  }

  @SuppressWarnings("unchecked")
  private @Nullable V write(WriteMode mode, K key, V value) {
    Bytes k = state.key(name, key);
    Bytes v = state.value(name, value);
    return (V) await(k, () -> state.operate((origin, opId) -> new MapWrite(origin, opId, name, mode, k, v, 0)));
  }

  private @Nullable Bytes keyOrNull(@Nullable Object key) {
    if (key == null) {
      return null;
    }
    try {
      return state.key(name, key);
    } catch (IllegalArgumentException | LimitExceededException e) {
      return null; // a key that cannot be encoded (or is too long) is in no cluster map
    }
  }

  private @Nullable Object await(@Nullable Bytes key, Supplier<Future<@Nullable Object>> write) {
    if (Context.isOnEventLoopThread()) {
      Bytes before = key == null ? null : state.localGet(name, key);
      write.get().onFailure(e -> LOG.log(Level.WARNING, "cluster map ''{0}'': a write from an event loop failed: {1}",
          name, e.getMessage()));
      return before == null ? null : state.codec().decode(before.unsafeArray());
    }
    Future<@Nullable Object> outcome = state.decoded(write.get());
    try {
      return outcome.toCompletionStage().toCompletableFuture().get(waitBound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cluster map '" + name + "': interrupted while waiting for a write", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException("cluster map '" + name + "': " + cause, cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cluster map '" + name + "': a write was not acknowledged within "
          + waitBound.toMillis() + " ms (3 x ringstore.cluster.requestTimeout)", e);
    }
  }
}
