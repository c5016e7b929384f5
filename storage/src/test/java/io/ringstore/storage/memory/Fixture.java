package io.ringstore.storage.memory;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.spi.testkit.StorageEngineContract.Removal;
import io.ringstore.spi.testkit.StorageEngineContract.Removals;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What the memory engine's own tests share: fake time, a recording removal listener, and short
 * ways to open a bounded engine and to write and read text values.
 *
 * <p>Thread-safety: thread-safe (the timestamp counter is atomic).
 */
final class Fixture {

  static final String CACHE = "policy-cache";

  final FakeTime time = new FakeTime();
  final Removals removals = new Removals();
  private final AtomicLong hlc = new AtomicLong();

  /** An engine bounded by {@code maxEntries} entries under {@code policy}. */
  MemoryStorageEngine entries(long maxEntries, EvictionPolicy policy) {
    return open(maxEntries, EngineSettings.UNBOUNDED, policy);
  }

  /** An engine bounded by {@code maxBytes} bytes under {@code policy}. */
  MemoryStorageEngine bytes(long maxBytes, EvictionPolicy policy) {
    return open(EngineSettings.UNBOUNDED, maxBytes, policy);
  }

  MemoryStorageEngine open(long maxEntries, long maxBytes, EvictionPolicy policy) {
    return new MemoryStorageEngine(new EngineSettings(CACHE, maxEntries, maxBytes, policy, Env.of(time), removals, Map.of()));
  }

  static Bytes key(String text) {
    return Bytes.utf8(text);
  }

  /** A record of {@code value} without expiry (as a fresh write on top of nothing). */
  StoredRecord record(String value) {
    return record(value, StoredRecord.NEVER);
  }

  StoredRecord record(String value, long expiresAtMillis) {
    return StoredRecord.write(null, VectorClock.EMPTY, "test", hlc.incrementAndGet(), Bytes.utf8(value), expiresAtMillis, time.millis());
  }

  /** Writes {@code value} under {@code key}, replacing what is there. */
  StoredRecord put(MemoryStorageEngine engine, String key, String value) {
    return put(engine, key, value, StoredRecord.NEVER);
  }

  /** Writes {@code value} under {@code key}, expiring {@code ttl} from now. */
  StoredRecord put(MemoryStorageEngine engine, String key, String value, Duration ttl) {
    return put(engine, key, value, time.millis() + ttl.toMillis());
  }

  private StoredRecord put(MemoryStorageEngine engine, String key, String value, long expiresAtMillis) {
    StoredRecord stored = engine.compute(key(key), (k, current) -> StoredRecord.write(current,
        current == null ? VectorClock.EMPTY : current.clock(), "test", hlc.incrementAndGet(), Bytes.utf8(value),
        expiresAtMillis, time.millis()));
    engine.checkInvariants();
    return stored;
  }

  /** Reads {@code key} (recording the access); its value as text, or {@code null}. */
  static @Nullable String get(MemoryStorageEngine engine, String key) {
    StoredRecord r = engine.get(key(key));
    return r == null ? null : r.newest().value().asUtf8();
  }

  /** The keys reported evicted, in order, as text. */
  List<String> evicted() {
    return removals.with(RemovalCause.EVICTED).stream().map(r -> r.key().asUtf8()).toList();
  }

  /** The keys reported expired, in order, as text. */
  List<String> expired() {
    return removals.with(RemovalCause.EXPIRED).stream().map(Removal::key).map(Bytes::asUtf8).toList();
  }
}
