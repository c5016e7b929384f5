package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Dot;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import io.ringstore.spi.testkit.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A put of a store-by-value, eternal cache without writer or listener (the lean {@link KeyPlainPut})
 * decides as every other put: over siblings or a record with an expiry it defers to the general
 * step, whose resolution, expiry and statistics it must keep. Such records are planted in the
 * cache's replica by hand (a single node makes neither itself).
 */
class PlainPutTest {
  private final FakeTime time = new FakeTime();
  private final RingstoreCacheManager manager = TestManagers.create(time);

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @SuppressWarnings("unchecked")
  private KeyspaceCache<String, String> cache(RingstoreConfiguration<String, String> configuration) {
    return (KeyspaceCache<String, String>) manager.createCache("plain", configuration).unwrap(RingstoreCache.class);
  }

  /** Puts {@code record} under {@code key} in the cache's replica, as a replica would receive it. */
  private void plant(KeyspaceCache<String, String> cache, String key, StoredRecord record) {
    Coordinator keyspace = Objects.requireNonNull(manager.node().keyspace(cache.getName()));
    keyspace.replica().merge(cache.codec.encodeKey(key), record);
  }

  private static StoredRecord oneValue(KeyspaceCache<String, String> cache, String value, long expiresAtMillis) {
    return StoredRecord.of(VectorClock.of(Map.of("node-x", 1L)), List.of(new Sibling(new Dot("node-x", 1), 1, cache.codec.encodeValue(value))),
        expiresAtMillis);
  }

  @Test
  void aPutOverSiblingsReplacesThemAndCountsTheDiscardedOne() {
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<>());
    plant(cache, "k", StoredRecord.of(VectorClock.of(Map.of("node-a", 1L, "node-b", 1L)), List.of(
        new Sibling(new Dot("node-a", 1), 100, cache.codec.encodeValue("older")),
        new Sibling(new Dot("node-b", 1), 200, cache.codec.encodeValue("newer"))), StoredRecord.NEVER));

    cache.put("k", "mine");

    assertThat(cache.getDiscardedSiblings()).as("the put resolved the siblings once").isEqualTo(1);
    assertThat(cache.getVersions("k")).extracting(v -> v.value()).containsExactly("mine");
    assertThat(cache.get("k")).isEqualTo("mine");
  }

  @Test
  void aPutOverALiveValueWithAnExpiryKeepsThatExpiry() {
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<>());
    plant(cache, "k", oneValue(cache, "old", time.millis() + 60_000));

    cache.put("k", "new");
    assertThat(cache.get("k")).isEqualTo("new");

    time.advance(Duration.ofSeconds(61));
    assertThat(cache.get("k")).as("the eternal policy's update leaves the expiry as it was").isNull();
  }

  @Test
  void aPutOverAnExpiredValueStoresForever() {
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<>());
    plant(cache, "k", oneValue(cache, "old", time.millis() + 1_000));
    time.advance(Duration.ofSeconds(2));

    cache.put("k", "new");

    time.advance(Duration.ofDays(365));
    assertThat(cache.get("k")).isEqualTo("new");
  }

  @Test
  void plainPutsCountAsPuts() {
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<String, String>().setStatisticsEnabled(true));
    cache.put("a", "1");
    cache.put("a", "2");
    plant(cache, "b", oneValue(cache, "old", time.millis() + 60_000));
    cache.put("b", "3");

    assertThat(cache.statistics.getCachePuts()).isEqualTo(3);
  }

  /** Records created and updated events. */
  static final class Recorder implements CacheEntryCreatedListener<String, String>, CacheEntryUpdatedListener<String, String> {
    final List<String> seen = new ArrayList<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add(e.getEventType() + " " + e.getKey() + "=" + e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add(e.getEventType() + " " + e.getKey() + "=" + e.getValue()));
    }
  }

  @Test
  void aListenerRegisteredLaterSeesPutsAgain() {
    Recorder recorder = new Recorder();
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<>());
    cache.put("k", "unseen");
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        new FactoryBuilder.SingletonFactory<>(recorder), null, false, true));
    cache.put("k", "seen");
    cache.put("j", "created");

    assertThat(recorder.seen).containsExactly(EventType.UPDATED + " k=seen", EventType.CREATED + " j=created");
  }

  @Test
  void thePlainPathStoresTheEncodedValue() {
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<>());
    cache.put("k", "v");
    Bytes stored = Objects.requireNonNull(manager.node().keyspace(cache.getName())).replica().engine()
        .get(cache.codec.encodeKey("k")).soleValue();
    assertThat(stored).isEqualTo(cache.codec.encodeValue("v"));
  }
}
