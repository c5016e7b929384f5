package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.provider.codec.ReferenceTable;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Store-by-reference: the very objects come back, and their handles are let go when entries go. */
class StoreByReferenceTest {
  private final RingstoreCacheManager manager = TestManagers.create();

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** A key that cannot be serialised: JCache allows it when storing by reference. */
  static final class Handle {
    final String name;

    Handle(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Handle that && name.equals(that.name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name);
    }
  }

  @SuppressWarnings("unchecked")
  private <K> KeyspaceCache<K, StringBuilder> cache() {
    Cache<K, StringBuilder> cache = manager.createCache("by-reference", new RingstoreConfiguration<K, StringBuilder>().setStoreByValue(false));
    return (KeyspaceCache<K, StringBuilder>) cache.unwrap(RingstoreCache.class);
  }

  @Test
  void theStoredObjectItselfComesBack() {
    KeyspaceCache<String, StringBuilder> cache = cache();
    StringBuilder value = new StringBuilder("mutable");
    cache.put("k", value);
    value.append(" and changed");
    assertThat(cache.get("k")).isSameAs(value);
  }

  @Test
  void aPutAllThatFailsPartWayKeepsTheEventsOfWhatItStoredAndReleasesTheRest() {
    List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();
    CacheEntryCreatedListener<String, StringBuilder> listener = events -> events.forEach(e -> created.add(e.getKey()));
    Cache<String, StringBuilder> plain = manager.createCache("bounded", new RingstoreConfiguration<String, StringBuilder>()
        .setStoreByValue(false).setMaxEntries(2).setEvictionPolicy(io.ringstore.spi.EvictionPolicy.NO_EVICTION)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            (javax.cache.configuration.Factory<CacheEntryCreatedListener<String, StringBuilder>>) () -> listener,
            null, false, true)));
    @SuppressWarnings("unchecked")
    KeyspaceCache<String, StringBuilder> cache = (KeyspaceCache<String, StringBuilder>) plain.unwrap(RingstoreCache.class);
    Map<String, StringBuilder> four = new java.util.LinkedHashMap<>();
    for (String k : List.of("a", "b", "c", "d")) {
      four.put(k, new StringBuilder(k));
    }
    assertThatThrownBy(() -> cache.putAll(four)).isInstanceOf(javax.cache.CacheException.class).hasMessageContaining("full");
    assertThat(created).containsExactly("a", "b");
    assertThat(cache.codec.references().size()).as("handles of the values stored, and of none other").isEqualTo(2);
  }

  /** A key that cannot be serialised: a store-by-reference cache interns it. */
  private record Point(int x, int y) {}

  @Test
  void readingAbsentKeysThatMustBeInternedInternsNothing() {
    Cache<Point, StringBuilder> plain = manager.createCache("points", new RingstoreConfiguration<Point, StringBuilder>()
        .setStoreByValue(false));
    @SuppressWarnings("unchecked")
    KeyspaceCache<Point, StringBuilder> cache = (KeyspaceCache<Point, StringBuilder>) plain.unwrap(RingstoreCache.class);
    for (int i = 0; i < 100; i++) {
      assertThat(cache.get(new Point(i, i))).isNull();
      assertThat(cache.containsKey(new Point(i, -i))).isFalse();
    }
    assertThat(cache.codec.internedKeys().size()).as("keys interned by reads of absent keys").isZero();
    StringBuilder value = new StringBuilder("here");
    cache.put(new Point(1, 2), value);
    assertThat(cache.get(new Point(1, 2))).isSameAs(value);
    assertThat(cache.containsKey(new Point(1, 2))).isTrue();
    assertThat(cache.codec.internedKeys().size()).isEqualTo(1);
  }

  @Test
  void anInternedKeyKeepsItsIdAcrossAClear() {
    Cache<Point, StringBuilder> plain = manager.createCache("cleared", new RingstoreConfiguration<Point, StringBuilder>()
        .setStoreByValue(false));
    @SuppressWarnings("unchecked")
    KeyspaceCache<Point, StringBuilder> cache = (KeyspaceCache<Point, StringBuilder>) plain.unwrap(RingstoreCache.class);
    cache.put(new Point(1, 1), new StringBuilder("before"));
    io.ringstore.spi.Bytes id = cache.codec.internedKeys().find(new Point(1, 1));
    cache.clear();
    StringBuilder after = new StringBuilder("after");
    cache.put(new Point(1, 1), after);
    assertThat(cache.codec.internedKeys().find(new Point(1, 1))).isEqualTo(id);
    List<Point> keys = new java.util.ArrayList<>();
    cache.forEach(entry -> keys.add(entry.getKey()));
    assertThat(keys).containsExactly(new Point(1, 1));
    assertThat(cache.get(new Point(1, 1))).isSameAs(after);
  }

  @Test
  void handlesAreReleasedOnOverwriteRemoveAndClear() {
    KeyspaceCache<String, StringBuilder> cache = cache();
    ReferenceTable<StringBuilder> handles = cache.codec.references();
    cache.put("a", new StringBuilder("1"));
    cache.put("a", new StringBuilder("2"));
    assertThat(handles.size()).isEqualTo(1);
    assertThat(cache.putIfAbsent("a", new StringBuilder("3"))).isFalse();
    assertThat(handles.size()).isEqualTo(1);
    cache.remove("a");
    assertThat(handles.size()).isZero();
    cache.put("b", new StringBuilder());
    cache.put("c", new StringBuilder());
    cache.clear();
    assertThat(handles.size()).isZero();
  }

  @Test
  void equalKeysThatCannotBeSerialisedFindTheSameEntry() {
    KeyspaceCache<Handle, StringBuilder> cache = cache();
    StringBuilder value = new StringBuilder("v");
    cache.put(new Handle("x"), value);
    assertThat(cache.get(new Handle("x"))).isSameAs(value);
    assertThat(cache.iterator().next().getKey()).isEqualTo(new Handle("x"));
    assertThat(cache.remove(new Handle("x"))).isTrue();
    assertThat(cache.containsKey(new Handle("x"))).isFalse();
  }
}
