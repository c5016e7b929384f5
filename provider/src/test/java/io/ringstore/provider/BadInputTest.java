package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input gets its error (the spec's NullPointerException, an
 * IllegalArgumentException naming a size bound and the size, a CacheException naming a class that
 * cannot be serialised or is rejected by the deserialization filter) and leaves nothing
 * half-written.
 */
class BadInputTest {
  private final RingstoreCacheManager manager = TestManagers.create();

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private Cache<Object, Object> cache(RingstoreConfiguration<Object, Object> configuration) {
    return manager.createCache("bad-input", configuration);
  }

  private static Map<Object, Object> contents(Cache<Object, Object> cache) {
    Map<Object, Object> all = new HashMap<>();
    for (Cache.Entry<Object, Object> entry : cache) {
      all.put(entry.getKey(), entry.getValue());
    }
    return all;
  }

  /** Serializable, but holds something that is not. */
  record Holder(Object content) implements Serializable {}

  /** A plain serialisable value. */
  record Point(int x, int y) implements Serializable {}

  @Test
  void nullKeysAndValuesGetTheSpecsNullPointerException() {
    Cache<Object, Object> cache = cache(new RingstoreConfiguration<>());
    cache.put("present", "value");
    assertThatThrownBy(() -> cache.get(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    assertThatThrownBy(() -> cache.put(null, "v")).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class).hasMessageContaining("value");
    assertThatThrownBy(() -> cache.replace("present", null, "v")).isInstanceOf(NullPointerException.class).hasMessageContaining("oldValue");
    assertThatThrownBy(() -> cache.getAndPut("present", null)).isInstanceOf(NullPointerException.class);
    Set<Object> keys = new HashSet<>();
    keys.add("present");
    keys.add(null);
    assertThatThrownBy(() -> cache.getAll(keys)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.removeAll(keys)).isInstanceOf(NullPointerException.class);
    Map<Object, Object> withNullValue = new LinkedHashMap<>();
    withNullValue.put("a", "1");
    withNullValue.put("b", null);
    assertThatThrownBy(() -> cache.putAll(withNullValue)).isInstanceOf(NullPointerException.class).hasMessageContaining("value");
    assertThat(contents(cache)).containsOnly(Map.entry("present", "value"));
  }

  @Test
  void aKeyPastItsBoundIsRefusedNamingTheBoundAndTheSize() {
    Cache<Object, Object> cache = cache(new RingstoreConfiguration<>().setMaxKeyBytes(16));
    String longKey = "k".repeat(40);
    assertThatThrownBy(() -> cache.put(longKey, "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("cache 'bad-input'", "maxKeyBytes = 16", "41 bytes");
    assertThatThrownBy(() -> cache.putAll(Map.of("short", "v", longKey, "v"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(contents(cache)).isEmpty();
  }

  @Test
  void aValuePastItsBoundIsRefusedNamingTheBoundAndTheSize() {
    Cache<Object, Object> cache = cache(new RingstoreConfiguration<>().setMaxValueBytes(64));
    String big = "v".repeat(100);
    cache.put("k", "small");
    assertThatThrownBy(() -> cache.put("k", big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("cache 'bad-input'", "maxValueBytes = 64", "101 bytes", "java.lang.String");
    assertThatThrownBy(() -> cache.put("new", big)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.replace("k", big)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.getAndReplace("k", big)).isInstanceOf(IllegalArgumentException.class);
    Map<Object, Object> batch = new LinkedHashMap<>();
    batch.put("a", "fine");
    batch.put("b", big);
    assertThatThrownBy(() -> cache.putAll(batch)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxValueBytes = 64");
    assertThat(contents(cache)).containsOnly(Map.entry("k", "small"));
  }

  @Test
  void aValueThatCannotBeSerialisedGetsACacheExceptionNamingItsClass() {
    Cache<Object, Object> cache = cache(new RingstoreConfiguration<>());
    cache.put("k", "before");
    assertThatThrownBy(() -> cache.put("k", new Object()))
        .isInstanceOf(CacheException.class)
        .hasMessageContainingAll("cache 'bad-input'", "cannot serialise a value of class java.lang.Object");
    assertThatThrownBy(() -> cache.put("other", new Holder(new Object())))
        .isInstanceOf(CacheException.class)
        .hasMessageContainingAll("class " + Holder.class.getName(), "java.io.NotSerializableException: java.lang.Object");
    assertThatThrownBy(() -> cache.getAndPut("k", new Holder(Thread.currentThread()))).isInstanceOf(CacheException.class);
    Map<Object, Object> batch = new LinkedHashMap<>();
    batch.put("a", "fine");
    batch.put("b", new Object());
    assertThatThrownBy(() -> cache.putAll(batch)).isInstanceOf(CacheException.class);
    assertThatThrownBy(() -> cache.invoke("k", (entry, arguments) -> {
      entry.setValue(new Object());
      return null;
    })).isInstanceOf(CacheException.class).hasMessageContaining("java.lang.Object");
    assertThat(contents(cache)).containsOnly(Map.entry("k", "before"));
  }

  @Test
  void aKeyThatCannotBeSerialisedGetsACacheExceptionNamingItsClass() {
    Cache<Object, Object> cache = cache(new RingstoreConfiguration<>());
    assertThatThrownBy(() -> cache.put(new Object(), "v"))
        .isInstanceOf(CacheException.class)
        .hasMessageContainingAll("cannot encode a key of class java.lang.Object");
    assertThat(contents(cache)).isEmpty();
  }

  @Test
  void theDefaultFilterAllowsApplicationClassesAndRejectsGadgetPackages() throws Exception {
    Cache<Object, Object> cache = cache(new RingstoreConfiguration<>());
    cache.put("point", new Point(1, 2));
    cache.put("list", new ArrayList<>(List.of(1, 2)));
    assertThat(cache.get("point")).isEqualTo(new Point(1, 2));
    assertThat(cache.get("list")).isEqualTo(List.of(1, 2));
    cache.put("gadget", new ObjectName("a:b=c"));
    assertThatThrownBy(() -> cache.get("gadget"))
        .isInstanceOf(CacheException.class)
        .hasMessageContainingAll("cache 'bad-input'", "class javax.management.ObjectName is rejected by the deserialization filter");
  }

  @Test
  void anAllowListRejectsEveryOtherClass() {
    Cache<Object, Object> cache = cache(new RingstoreConfiguration<>().setDeserializationFilter(Point.class.getName()));
    cache.put("point", new Point(3, 4));
    cache.put("holder", new Holder("text"));
    cache.put("list", new ArrayList<>(List.of("a")));
    assertThat(cache.get("point")).isEqualTo(new Point(3, 4));
    assertThat(cache.get("list")).isEqualTo(List.of("a"));
    assertThatThrownBy(() -> cache.get("holder"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("class " + Holder.class.getName() + " is rejected by the deserialization filter");
  }
}
