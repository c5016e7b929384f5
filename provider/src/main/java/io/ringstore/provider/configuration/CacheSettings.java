package io.ringstore.provider.configuration;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.spi.RemovalListener;
import java.io.ObjectInputFilter;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;

/**
 * Turns what an application passes to {@code createCache} into the cache's own validated copy of
 * its configuration, and its Ringstore settings into the keyspace settings of the node.
 *
 * <p>Every check names the setting, the bad value and the allowed range, prefixed with the cache's
 * name, e.g. {@code cache 'orders': W=4 exceeds N=3 (writeQuorum must be in 1..replicationFactor)}.
 *
 * <p>Thread-safety: stateless.
 */
public final class CacheSettings {

  /** The largest replication factor a cache may ask for. */
  public static final int MAX_REPLICATION_FACTOR = 32;

  /** The largest {@code maxSiblings} and {@code maxClockEntries}. */
  public static final int MAX_SIBLINGS_OR_CLOCK_ENTRIES = 1024;

  /** The largest {@code maxKeyBytes}: 16 MiB. */
  public static final int MAX_KEY_BYTES_LIMIT = 16 * 1024 * 1024;

  /** The largest {@code maxValueBytes}: 1 GiB. */
  public static final int MAX_VALUE_BYTES_LIMIT = 1024 * 1024 * 1024;

  private CacheSettings() {}

  /**
   * The cache's own copy of {@code configuration}, as a {@link RingstoreConfiguration}, after
   * checking every setting.
   *
   * @throws IllegalArgumentException naming the setting, the value and the allowed range
   */
  public static <K, V> RingstoreConfiguration<K, V> validatedCopy(String cacheName, Configuration<K, V> configuration) {
    return validatedCopy(cacheName, configuration, new RingstoreConfiguration<>());
  }

  /**
   * The cache's own copy of {@code configuration}, as {@link #validatedCopy(String, Configuration)},
   * except that a configuration that is not a {@link RingstoreConfiguration} (a plain
   * {@link MutableConfiguration}, another provider's) takes its Ringstore settings from
   * {@code defaults} (the manager's file's {@code defaults} section) instead of the built-in ones.
   * Its JCache settings stay as given; one of them decides a Ringstore setting: a store-by-reference
   * configuration ({@code isStoreByValue() == false}) keeps N = W = R = 1, since references
   * cannot be replicated.
   *
   * @throws IllegalArgumentException naming the setting, the value and the allowed range
   */
  public static <K, V> RingstoreConfiguration<K, V> validatedCopy(String cacheName, Configuration<K, V> configuration,
      RingstoreConfiguration<?, ?> defaults) {
    RingstoreConfiguration<K, V> copy;
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      copy = new RingstoreConfiguration<>(complete);
    } else {
      copy = new RingstoreConfiguration<>(new MutableConfiguration<K, V>()
          .setTypes(configuration.getKeyType(), configuration.getValueType())
          .setStoreByValue(configuration.isStoreByValue()));
    }
    if (!(configuration instanceof RingstoreConfiguration)) {
      copy.copyRingstoreSettings(defaults);
      if (!copy.isStoreByValue()) {
        copy.setReplication(1, 1, 1);
      }
    }
    validate(cacheName, copy);
    return copy;
  }

  /**
   * Checks every Ringstore setting of {@code c}.
   *
   * @throws IllegalArgumentException naming the setting, the value and the allowed range
   */
  public static void validate(String cacheName, RingstoreConfiguration<?, ?> c) {
    String where = "cache '" + cacheName + "': ";
    if (c.getKeyType() == null || c.getValueType() == null) {
      throw new IllegalArgumentException(where + "keyType and valueType must not be null");
    }
    if (c.getStorageEngine().isBlank()) {
      throw new IllegalArgumentException(where + "storageEngine = '" + c.getStorageEngine() + "' is blank; need an engine name such as 'memory'");
    }
    checkBound(where, "maxEntries", c.getMaxEntries());
    checkBound(where, "maxBytes", c.getMaxBytes());
    int n = c.getReplicationFactor();
    if (!SettingRange.REPLICATION_FACTOR.contains(n)) {
      throw new IllegalArgumentException(where + "N=" + n + " is out of range (replicationFactor must be in " + SettingRange.REPLICATION_FACTOR + ")");
    }
    checkQuorum(where, "W", "writeQuorum", c.getWriteQuorum(), n);
    checkQuorum(where, "R", "readQuorum", c.getReadQuorum(), n);
    checkTimeout(where, "readTimeout", c.getReadTimeout());
    checkTimeout(where, "writeTimeout", c.getWriteTimeout());
    checkRange(where, "maxSiblings", c.getMaxSiblings(), SettingRange.SIBLINGS_OR_CLOCK_ENTRIES);
    checkRange(where, "maxClockEntries", c.getMaxClockEntries(), SettingRange.SIBLINGS_OR_CLOCK_ENTRIES);
    checkRange(where, "maxKeyBytes", c.getMaxKeyBytes(), SettingRange.KEY_BYTES);
    checkRange(where, "maxValueBytes", c.getMaxValueBytes(), SettingRange.VALUE_BYTES);
    if (!c.isStoreByValue() && n != 1) {
      throw new IllegalArgumentException(where + "storeByValue=false (store-by-reference) needs N=1, got N=" + n
          + ": references cannot be replicated to other nodes; store by value or set replicationFactor to 1");
    }
    String pattern = c.getDeserializationFilter();
    if (pattern != null) {
      try {
        ObjectInputFilter.Config.createFilter(pattern);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "deserializationFilter = '" + pattern + "' is not a valid ObjectInputFilter pattern: "
            + e.getMessage(), e);
      }
    }
  }

  /** The keyspace settings of a validated configuration, with {@code listener} told of engine removals. */
  public static KeyspaceSettings keyspace(String cacheName, RingstoreConfiguration<?, ?> c, RemovalListener listener) {
    return new KeyspaceSettings(cacheName, c.getStorageEngine(), c.getEngineOptions(), c.getMaxEntries(), c.getMaxBytes(),
        c.getEvictionPolicy(), c.getReplicationFactor(), c.getWriteQuorum(), c.getReadQuorum(), c.getReadTimeout(),
        c.getWriteTimeout(), c.getMaxSiblings(), c.getMaxClockEntries(), listener);
  }

  private static void checkBound(String where, String setting, long value) {
    if (!SettingRange.POSITIVE.contains(value)) {
      throw new IllegalArgumentException(where + setting + "=" + value + " is out of range (need " + SettingRange.POSITIVE + ", or UNBOUNDED)");
    }
  }

  private static void checkQuorum(String where, String letter, String setting, int value, int n) {
    if (value < 1) {
      throw new IllegalArgumentException(where + letter + "=" + value + " is out of range (" + setting + " must be in 1..replicationFactor, N=" + n + ")");
    }
    if (value > n) {
      throw new IllegalArgumentException(where + letter + "=" + value + " exceeds N=" + n + " (" + setting + " must be in 1..replicationFactor)");
    }
  }

  private static void checkTimeout(String where, String setting, java.time.Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(where + setting + "=" + value + " is out of range (need > 0)");
    }
  }

  private static void checkRange(String where, String setting, long value, SettingRange range) {
    if (!range.contains(value)) {
      throw new IllegalArgumentException(where + setting + "=" + value + " is out of range (need " + range + ")");
    }
  }
}
