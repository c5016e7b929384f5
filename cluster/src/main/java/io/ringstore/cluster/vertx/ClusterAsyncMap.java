package io.ringstore.cluster.vertx;

import io.ringstore.cluster.vertx.Change.MapClear;
import io.ringstore.cluster.vertx.Change.MapRead;
import io.ringstore.cluster.vertx.Change.MapRemove;
import io.ringstore.cluster.vertx.Change.MapReplaceIfPresent;
import io.ringstore.cluster.vertx.Change.MapWrite;
import io.ringstore.cluster.vertx.Change.ReadKind;
import io.ringstore.cluster.vertx.Change.WriteMode;
import io.ringstore.spi.Bytes;
import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A cluster-wide async map: every operation, reads included, is sequenced by the coordinator, so
 * the map is linearizable while the members stay connected (see {@code docs/cluster-manager.md});
 * a write's future completes once every member applied it. Keys and values are encoded by
 * {@link ClusterValueCodec} at the call (an unsupported type, a refused Serializable class or a
 * key over {@value SharedState#MAX_KEY_BYTES} bytes throws there) and compared by their bytes.
 * An entry with a TTL is removed by the coordinator shortly after the TTL (a sequenced removal);
 * until then it is read as present. Results come back on the caller's context.
 *
 * <p>Thread-safety: thread-safe (stateless over {@link SharedState}).
 */
final class ClusterAsyncMap<K, V> implements AsyncMap<K, V> {
  // constant after construction
  private final SharedState state;
  private final CallerContext caller;
  private final String name;

  ClusterAsyncMap(SharedState state, CallerContext caller, String name) {
    this.state = state;
    this.caller = caller;
    this.name = name;
  }

  @Override
  public Future<@Nullable V> get(K k) {
    Bytes key = state.key(name, k);
    return caller.on(state.operate((origin, opId) -> new MapRead(origin, opId, name, ReadKind.GET, key)));
  }

  @Override
  public Future<Void> put(K k, V v) {
    return write(WriteMode.PUT, k, v, 0, false).mapEmpty();
  }

  @Override
  public Future<Void> put(K k, V v, long ttl) {
    return write(WriteMode.PUT, k, v, ttl(ttl), false).mapEmpty();
  }

  @Override
  public Future<@Nullable V> putIfAbsent(K k, V v) {
    return write(WriteMode.PUT_IF_ABSENT, k, v, 0, true);
  }

  @Override
  public Future<@Nullable V> putIfAbsent(K k, V v, long ttl) {
    return write(WriteMode.PUT_IF_ABSENT, k, v, ttl(ttl), true);
  }

  @Override
  public Future<@Nullable V> remove(K k) {
    Bytes key = state.key(name, k);
    return caller.on(state.decoded(state.operate((origin, opId) -> new MapRemove(origin, opId, name, key, null))));
  }

  @Override
  public Future<Boolean> removeIfPresent(K k, V v) {
    Bytes key = state.key(name, k);
    Bytes value = state.value(name, v);
    return caller.on(state.operate((origin, opId) -> new MapRemove(origin, opId, name, key, value)));
  }

  @Override
  public Future<@Nullable V> replace(K k, V v) {
    return write(WriteMode.REPLACE, k, v, 0, true);
  }

  @Override
  public Future<@Nullable V> replace(K k, V v, long ttl) {
    return write(WriteMode.REPLACE, k, v, ttl(ttl), true);
  }

  @Override
  public Future<Boolean> replaceIfPresent(K k, V oldValue, V newValue) {
    return replaceIfPresent(k, oldValue, newValue, 0, true);
  }

  @Override
  public Future<Boolean> replaceIfPresent(K k, V oldValue, V newValue, long ttl) {
    return replaceIfPresent(k, oldValue, newValue, ttl, false);
  }

  private Future<Boolean> replaceIfPresent(K k, V oldValue, V newValue, long ttl, boolean forever) {
    Bytes key = state.key(name, k);
    Bytes expected = state.value(name, oldValue);
    Bytes value = state.value(name, newValue);
    long ttlMillis = forever ? 0 : ttl(ttl);
    return caller.on(state.operate((origin, opId) -> new MapReplaceIfPresent(origin, opId, name, key, expected, value, ttlMillis)));
  }

  @Override
  public Future<Void> clear() {
    return caller.on(state.operate((origin, opId) -> new MapClear(origin, opId, name)));
  }

  @Override
  public Future<Integer> size() {
    return read(ReadKind.SIZE);
  }

  @Override
  public Future<Set<K>> keys() {
    return read(ReadKind.KEYS);
  }

  @Override
  public Future<List<V>> values() {
    return read(ReadKind.VALUES);
  }

  @Override
  public Future<Map<K, V>> entries() {
    return read(ReadKind.ENTRIES);
  }

  private <T> Future<T> read(ReadKind what) {
    return caller.on(state.operate((origin, opId) -> new MapRead(origin, opId, name, what, null)));
  }

  /** A write; its future has the previous value, decoded if {@code previous} is wanted (a put needs none). */
  private Future<@Nullable V> write(WriteMode mode, K k, V v, long ttlMillis, boolean previous) {
    Bytes key = state.key(name, k);
    Bytes value = state.value(name, v);
    Future<@Nullable Object> outcome = state.operate((origin, opId) -> new MapWrite(origin, opId, name, mode, key, value, ttlMillis));
    return caller.on(previous ? state.decoded(outcome) : outcome.map(ignored -> null));
  }

  private static long ttl(long ttl) {
    if (ttl < 1) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl + " ms");
    }
    return ttl;
  }
}
