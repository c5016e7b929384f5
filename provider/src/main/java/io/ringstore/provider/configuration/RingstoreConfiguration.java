package io.ringstore.provider.configuration;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Codec;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.SiblingResolver;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import org.jspecify.annotations.Nullable;

/**
 * A cache's configuration: everything a {@link MutableConfiguration} holds, plus where and how
 * Ringstore keeps the entries.
 *
 * <table>
 *   <caption>Ringstore settings and their defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>{@code storageEngine}</td><td>{@value #DEFAULT_STORAGE_ENGINE}</td><td>the name of an
 *       engine on the class path ({@code memory}, {@code lsm}, a third party's)</td></tr>
 *   <tr><td>{@code engineOptions}</td><td>none</td><td>engine-specific; unknown names are rejected by
 *       the engine</td></tr>
 *   <tr><td>{@code maxEntries}, {@code maxBytes}</td><td>{@link #UNBOUNDED}</td><td>{@code >= 1}</td></tr>
 *   <tr><td>{@code evictionPolicy}</td><td>{@link EvictionPolicy#LRU}</td><td>any; used only when
 *       a bound is set</td></tr>
 *   <tr><td>{@code replicationFactor} N</td><td>1</td><td>1 to {@value CacheSettings#MAX_REPLICATION_FACTOR}</td></tr>
 *   <tr><td>{@code writeQuorum} W, {@code readQuorum} R</td><td>1</td><td>1 to N</td></tr>
 *   <tr><td>{@code readTimeout}, {@code writeTimeout}</td><td>5 s</td><td>{@code > 0}</td></tr>
 *   <tr><td>{@code maxSiblings}</td><td>{@value #DEFAULT_MAX_SIBLINGS}</td><td>1 to 1024</td></tr>
 *   <tr><td>{@code maxClockEntries}</td><td>{@value #DEFAULT_MAX_CLOCK_ENTRIES}</td><td>1 to 1024</td></tr>
 *   <tr><td>{@code siblingResolver}</td><td>{@link SiblingResolver#lastWriteWins()}</td><td>any</td></tr>
 *   <tr><td>{@code keyCodec}, {@code valueCodec}</td><td>the built-in tagged codec (String,
 *       byte[], Long, Integer, else Java serialisation)</td><td>any {@link Codec}</td></tr>
 *   <tr><td>{@code maxKeyBytes}</td><td>{@value #DEFAULT_MAX_KEY_BYTES} (64 KiB)</td><td>1 to 16 MiB</td></tr>
 *   <tr><td>{@code maxValueBytes}</td><td>{@value #DEFAULT_MAX_VALUE_BYTES} (32 MiB)</td><td>1 to 1 GiB</td></tr>
 *   <tr><td>{@code deserializationFilter}</td><td>none: the default filter (see
 *       {@code io.ringstore.provider.codec.DeserializationFilter})</td><td>an
 *       {@link java.io.ObjectInputFilter.Config#createFilter(String)} pattern</td></tr>
 * </table>
 *
 * <p>Nothing is checked by the setters apart from nulls: the whole configuration is validated when
 * a cache is created from it, and a bad value fails {@code createCache} with an
 * {@link IllegalArgumentException} naming the setting, the value and the allowed range.
 *
 * <p>Codecs and the sibling resolver are held as {@link Factory}s so that the configuration stays
 * serialisable when they are; the convenience setters that take an instance wrap it in a
 * {@link FactoryBuilder.SingletonFactory}.
 *
 * <p>Thread-safety: not thread-safe, like {@link MutableConfiguration}; a cache takes a copy.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class RingstoreConfiguration<K, V> extends MutableConfiguration<K, V> {
  private static final long serialVersionUID = 1L;

  /** The engine a cache uses unless told otherwise. */
  public static final String DEFAULT_STORAGE_ENGINE = "memory";

  /** No bound on entries or bytes. */
  public static final long UNBOUNDED = EngineSettings.UNBOUNDED;

  /** Default bound on an encoded key: 64 KiB. */
  public static final int DEFAULT_MAX_KEY_BYTES = 64 * 1024;

  /** Default bound on an encoded value: 32 MiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 32 * 1024 * 1024;

  /** Default bound on the concurrent values one key may hold. */
  public static final int DEFAULT_MAX_SIBLINGS = 16;

  /** Default bound on the actors one key's vector clock keeps before pruning. */
  public static final int DEFAULT_MAX_CLOCK_ENTRIES = 32;

  /** Default read and write timeout. */
  public static final java.time.Duration DEFAULT_TIMEOUT = java.time.Duration.ofSeconds(5);

  private String storageEngine = DEFAULT_STORAGE_ENGINE;
  private TreeMap<String, String> engineOptions = new TreeMap<>();
  private long maxEntries = UNBOUNDED;
  private long maxBytes = UNBOUNDED;
  private EvictionPolicy evictionPolicy = EvictionPolicy.LRU;
  private int replicationFactor = 1;
  private int writeQuorum = 1;
  private int readQuorum = 1;
  private java.time.Duration readTimeout = DEFAULT_TIMEOUT;
  private java.time.Duration writeTimeout = DEFAULT_TIMEOUT;
  private int maxSiblings = DEFAULT_MAX_SIBLINGS;
  private int maxClockEntries = DEFAULT_MAX_CLOCK_ENTRIES;
  private @Nullable Factory<? extends SiblingResolver<V>> siblingResolverFactory;
  private @Nullable Factory<? extends Codec<K>> keyCodecFactory;
  private @Nullable Factory<? extends Codec<V>> valueCodecFactory;
  private int maxKeyBytes = DEFAULT_MAX_KEY_BYTES;
  private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
  private @Nullable String deserializationFilter;

  /** A configuration with every default. */
  public RingstoreConfiguration() {}

  /**
   * A copy of {@code configuration}: its JCache settings and, if it is a
   * {@code RingstoreConfiguration}, its Ringstore settings.
   */
  public RingstoreConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof RingstoreConfiguration<K, V> other) {
      copyRingstoreSettings(other);
    }
  }

  /**
   * Makes every Ringstore setting of this configuration (engine, bounds, N/W/R, timeouts, sibling
   * and clock bounds, resolver, codecs, key and value bounds, deserialisation filter) that of
   * {@code from}; the JCache settings stay. The resolver and codec factories are shared, not
   * copied; those of a configuration with other type parameters are taken as they are (the
   * configuration file's {@code defaults} are typed {@code <Object, Object>}).
   */
  @SuppressWarnings("unchecked")
  final void copyRingstoreSettings(RingstoreConfiguration<?, ?> from) {
    RingstoreConfiguration<K, V> other = (RingstoreConfiguration<K, V>) from;
    storageEngine = other.storageEngine;
    engineOptions = new TreeMap<>(other.engineOptions);
    maxEntries = other.maxEntries;
    maxBytes = other.maxBytes;
    evictionPolicy = other.evictionPolicy;
    replicationFactor = other.replicationFactor;
    writeQuorum = other.writeQuorum;
    readQuorum = other.readQuorum;
    readTimeout = other.readTimeout;
    writeTimeout = other.writeTimeout;
    maxSiblings = other.maxSiblings;
    maxClockEntries = other.maxClockEntries;
    siblingResolverFactory = other.siblingResolverFactory;
    keyCodecFactory = other.keyCodecFactory;
    valueCodecFactory = other.valueCodecFactory;
    maxKeyBytes = other.maxKeyBytes;
    maxValueBytes = other.maxValueBytes;
    deserializationFilter = other.deserializationFilter;
  }

  // ---- Ringstore settings ----

  /** The storage engine's name. */
  public String getStorageEngine() {
    return storageEngine;
  }

  /** Chooses the storage engine by name, e.g. {@code memory}. */
  public RingstoreConfiguration<K, V> setStorageEngine(String name) {
    this.storageEngine = requireNonNull(name, "storageEngine");
    return this;
  }

  /** The engine-specific options (an immutable copy). */
  public Map<String, String> getEngineOptions() {
    return Map.copyOf(engineOptions);
  }

  /** Sets one engine-specific option. */
  public RingstoreConfiguration<K, V> setEngineOption(String name, String value) {
    engineOptions.put(requireNonNull(name, "engine option name"), requireNonNull(value, "engine option value"));
    return this;
  }

  /** The most entries the cache keeps on a node, or {@link #UNBOUNDED}. */
  public long getMaxEntries() {
    return maxEntries;
  }

  /** Bounds the entries the cache keeps on a node; past it the {@link #getEvictionPolicy()} applies. */
  public RingstoreConfiguration<K, V> setMaxEntries(long maxEntries) {
    this.maxEntries = maxEntries;
    return this;
  }

  /** The most bytes the cache keeps on a node, or {@link #UNBOUNDED}. */
  public long getMaxBytes() {
    return maxBytes;
  }

  /** Bounds the bytes the cache keeps on a node; past it the {@link #getEvictionPolicy()} applies. */
  public RingstoreConfiguration<K, V> setMaxBytes(long maxBytes) {
    this.maxBytes = maxBytes;
    return this;
  }

  /** What a bounded cache gives up when full. */
  public EvictionPolicy getEvictionPolicy() {
    return evictionPolicy;
  }

  /** Chooses what a bounded cache gives up when full; {@link EvictionPolicy#NO_EVICTION} refuses writes. */
  public RingstoreConfiguration<K, V> setEvictionPolicy(EvictionPolicy policy) {
    this.evictionPolicy = requireNonNull(policy, "evictionPolicy");
    return this;
  }

  /** N: how many replicas hold each key. */
  public int getReplicationFactor() {
    return replicationFactor;
  }

  /** Sets N, the number of replicas of each key. */
  public RingstoreConfiguration<K, V> setReplicationFactor(int n) {
    this.replicationFactor = n;
    return this;
  }

  /** W: how many replicas must acknowledge a write. */
  public int getWriteQuorum() {
    return writeQuorum;
  }

  /** Sets W, the acknowledgements a write waits for. */
  public RingstoreConfiguration<K, V> setWriteQuorum(int w) {
    this.writeQuorum = w;
    return this;
  }

  /** R: how many replicas must answer a read. */
  public int getReadQuorum() {
    return readQuorum;
  }

  /** Sets R, the answers a read waits for. */
  public RingstoreConfiguration<K, V> setReadQuorum(int r) {
    this.readQuorum = r;
    return this;
  }

  /** Sets N, W and R at once. */
  public RingstoreConfiguration<K, V> setReplication(int n, int w, int r) {
    return setReplicationFactor(n).setWriteQuorum(w).setReadQuorum(r);
  }

  /** How long a read waits for R answers. */
  public java.time.Duration getReadTimeout() {
    return readTimeout;
  }

  /** Sets how long a read waits for R answers. */
  public RingstoreConfiguration<K, V> setReadTimeout(java.time.Duration timeout) {
    this.readTimeout = requireNonNull(timeout, "readTimeout");
    return this;
  }

  /** How long a write waits for W acknowledgements. */
  public java.time.Duration getWriteTimeout() {
    return writeTimeout;
  }

  /** Sets how long a write waits for W acknowledgements. */
  public RingstoreConfiguration<K, V> setWriteTimeout(java.time.Duration timeout) {
    this.writeTimeout = requireNonNull(timeout, "writeTimeout");
    return this;
  }

  /** The most concurrent values one key may hold. */
  public int getMaxSiblings() {
    return maxSiblings;
  }

  /** Bounds the concurrent values one key may hold; a write past it is refused with a CacheException. */
  public RingstoreConfiguration<K, V> setMaxSiblings(int maxSiblings) {
    this.maxSiblings = maxSiblings;
    return this;
  }

  /** The most actors one key's vector clock keeps before pruning the oldest. */
  public int getMaxClockEntries() {
    return maxClockEntries;
  }

  /** Bounds one key's vector clock. */
  public RingstoreConfiguration<K, V> setMaxClockEntries(int maxClockEntries) {
    this.maxClockEntries = maxClockEntries;
    return this;
  }

  /** The factory of the sibling resolver, or {@code null} for last-write-wins. */
  public @Nullable Factory<? extends SiblingResolver<V>> getSiblingResolverFactory() {
    return siblingResolverFactory;
  }

  /** Sets the factory of the resolver of concurrent values ({@code null}: last-write-wins). */
  public RingstoreConfiguration<K, V> setSiblingResolverFactory(@Nullable Factory<? extends SiblingResolver<V>> factory) {
    this.siblingResolverFactory = factory;
    return this;
  }

  /** Sets the resolver of concurrent values (wrapped in a singleton factory). */
  public RingstoreConfiguration<K, V> setSiblingResolver(SiblingResolver<V> resolver) {
    this.siblingResolverFactory = new FactoryBuilder.SingletonFactory<>(requireNonNull(resolver, "siblingResolver"));
    return this;
  }

  /** The factory of the key codec, or {@code null} for the built-in tagged codec. */
  public @Nullable Factory<? extends Codec<K>> getKeyCodecFactory() {
    return keyCodecFactory;
  }

  /** Sets the factory of the key codec ({@code null}: the built-in tagged codec). */
  public RingstoreConfiguration<K, V> setKeyCodecFactory(@Nullable Factory<? extends Codec<K>> factory) {
    this.keyCodecFactory = factory;
    return this;
  }

  /** Sets the key codec (wrapped in a singleton factory). Equal keys must encode to equal bytes. */
  public RingstoreConfiguration<K, V> setKeyCodec(Codec<K> codec) {
    this.keyCodecFactory = new FactoryBuilder.SingletonFactory<>(requireNonNull(codec, "keyCodec"));
    return this;
  }

  /** The factory of the value codec, or {@code null} for the built-in tagged codec. */
  public @Nullable Factory<? extends Codec<V>> getValueCodecFactory() {
    return valueCodecFactory;
  }

  /** Sets the factory of the value codec ({@code null}: the built-in tagged codec). */
  public RingstoreConfiguration<K, V> setValueCodecFactory(@Nullable Factory<? extends Codec<V>> factory) {
    this.valueCodecFactory = factory;
    return this;
  }

  /** Sets the value codec (wrapped in a singleton factory). Used only when storing by value. */
  public RingstoreConfiguration<K, V> setValueCodec(Codec<V> codec) {
    this.valueCodecFactory = new FactoryBuilder.SingletonFactory<>(requireNonNull(codec, "valueCodec"));
    return this;
  }

  /** The most bytes an encoded key may have. */
  public int getMaxKeyBytes() {
    return maxKeyBytes;
  }

  /** Bounds an encoded key; a longer one is refused with an IllegalArgumentException. */
  public RingstoreConfiguration<K, V> setMaxKeyBytes(int maxKeyBytes) {
    this.maxKeyBytes = maxKeyBytes;
    return this;
  }

  /** The most bytes an encoded value may have. */
  public int getMaxValueBytes() {
    return maxValueBytes;
  }

  /** Bounds an encoded value; a longer one is refused with an IllegalArgumentException. */
  public RingstoreConfiguration<K, V> setMaxValueBytes(int maxValueBytes) {
    this.maxValueBytes = maxValueBytes;
    return this;
  }

  /**
   * The allow-list pattern Java deserialisation of stored values goes through, or {@code null}
   * for the default filter.
   */
  public @Nullable String getDeserializationFilter() {
    return deserializationFilter;
  }

  /**
   * Sets the allow-list for Java deserialisation of Serializable keys and values, as an
   * {@link java.io.ObjectInputFilter.Config#createFilter(String)} pattern, e.g.
   * {@code "com.example.model.**;java.util.*"}. Classes the pattern does not allow are rejected;
   * {@code null} restores the default filter.
   */
  public RingstoreConfiguration<K, V> setDeserializationFilter(@Nullable String pattern) {
    this.deserializationFilter = pattern;
    return this;
  }

  // ---- JCache settings, narrowed to this type so that calls chain ----

  @Override
  public RingstoreConfiguration<K, V> setTypes(Class<K> keyType, Class<V> valueType) {
    super.setTypes(keyType, valueType);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> addCacheEntryListenerConfiguration(CacheEntryListenerConfiguration<K, V> configuration) {
    super.addCacheEntryListenerConfiguration(configuration);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> removeCacheEntryListenerConfiguration(CacheEntryListenerConfiguration<K, V> configuration) {
    super.removeCacheEntryListenerConfiguration(configuration);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> setCacheLoaderFactory(Factory<? extends CacheLoader<K, V>> factory) {
    super.setCacheLoaderFactory(factory);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> setCacheWriterFactory(Factory<? extends CacheWriter<? super K, ? super V>> factory) {
    super.setCacheWriterFactory(factory);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> setExpiryPolicyFactory(Factory<? extends ExpiryPolicy> factory) {
    super.setExpiryPolicyFactory(factory);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> setReadThrough(boolean isReadThrough) {
    super.setReadThrough(isReadThrough);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> setWriteThrough(boolean isWriteThrough) {
    super.setWriteThrough(isWriteThrough);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> setStoreByValue(boolean isStoreByValue) {
    super.setStoreByValue(isStoreByValue);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> setStatisticsEnabled(boolean enabled) {
    super.setStatisticsEnabled(enabled);
    return this;
  }

  @Override
  public RingstoreConfiguration<K, V> setManagementEnabled(boolean enabled) {
    super.setManagementEnabled(enabled);
    return this;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof RingstoreConfiguration<?, ?> that) || !super.equals(other)) {
      return false;
    }
    return storageEngine.equals(that.storageEngine)
        && engineOptions.equals(that.engineOptions)
        && maxEntries == that.maxEntries
        && maxBytes == that.maxBytes
        && evictionPolicy == that.evictionPolicy
        && replicationFactor == that.replicationFactor
        && writeQuorum == that.writeQuorum
        && readQuorum == that.readQuorum
        && readTimeout.equals(that.readTimeout)
        && writeTimeout.equals(that.writeTimeout)
        && maxSiblings == that.maxSiblings
        && maxClockEntries == that.maxClockEntries
        && Objects.equals(siblingResolverFactory, that.siblingResolverFactory)
        && Objects.equals(keyCodecFactory, that.keyCodecFactory)
        && Objects.equals(valueCodecFactory, that.valueCodecFactory)
        && maxKeyBytes == that.maxKeyBytes
        && maxValueBytes == that.maxValueBytes
        && Objects.equals(deserializationFilter, that.deserializationFilter);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Objects.hash(storageEngine, engineOptions, maxEntries, maxBytes, evictionPolicy,
        replicationFactor, writeQuorum, readQuorum, maxSiblings, maxClockEntries, maxKeyBytes, maxValueBytes);
  }
}
