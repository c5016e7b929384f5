package io.ringstore.provider;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.repair.RepairReport;
import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.replication.KeyOperation;
import io.ringstore.cluster.replication.Mutation;
import io.ringstore.provider.KeyWrite.Kind;
import io.ringstore.provider.codec.EntryCodec;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.provider.event.EventBatch;
import io.ringstore.provider.event.ListenerRegistry;
import io.ringstore.provider.expiry.ExpiryCalculator;
import io.ringstore.provider.integration.ReadThrough;
import io.ringstore.provider.integration.WriteThrough;
import io.ringstore.provider.management.CacheStatistics;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.RingstoreException;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.SiblingResolver;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Clock;
import io.ringstore.spi.env.Ticker;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.event.EventType;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import org.jspecify.annotations.Nullable;

/**
 * A JCache {@link javax.cache.Cache} kept in one keyspace of the manager's Ringstore node.
 *
 * <p>Every operation on a key goes through the keyspace's {@link Coordinator}: a plain read
 * ({@link Coordinator#read}), or one atomic read-modify-write ({@link Coordinator#update} with a
 * {@link KeyStep}) in which writer calls, expiry and the decision happen together. After the update
 * has taken effect the operation releases store-by-reference handles it displaced, fires its events
 * (synchronous listeners on this thread) and records statistics. Keys and values cross into the
 * coordinator only as bytes ({@link EntryCodec}).
 *
 * <p>Hot path: {@code get} of a cache without read-through and with an expiry policy that never
 * renews on access (the default) is encode key, {@code coordinator.read}, decode value; {@code put}
 * is encode key and value and one update, whose step is the 24-byte {@link KeyPlainPut} in a
 * store-by-value cache with the eternal policy, no writer and no listener. Neither reads a clock
 * unless statistics are on or the record has an expiry, and neither allocates an event batch
 * unless a listener is registered.
 *
 * <p>Bulk operations live in {@link CacheBulk}, iteration in {@link CacheIterator}, construction
 * and lifecycle in {@link CacheParts}. The extended API's asynchronous operations live in
 * {@link CacheAsync} (which runs the same steps through the coordinator's asynchronous calls and
 * the after-steps, {@link #completeUpdate}, as stages), its views with other quorums in
 * {@link QuorumView}; neither adds anything to the synchronous paths.
 *
 * <p>Thread-safety: thread-safe. Operations on one key are serialised by the coordinator; there are
 * no other locks on the data path. Listener registration and closing synchronise on the cache.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class KeyspaceCache<K, V> extends AsyncDelegation<K, V> {
  private static final Object[] NO_ARGUMENTS = new Object[0];
  /** {@link #startTimer()} when statistics are off. */
  static final long NO_TIMER = Long.MIN_VALUE;
  /** {@link #record} counts: a hit or miss for whether a value was present. */
  static final int HIT_OR_MISS = 1;
  /** {@link #record} counts: the get time. */
  static final int GET_TIME = 2;

  // constant after construction
  private final String name;
  private final RingstoreCacheManager manager;
  private final RingstoreConfiguration<K, V> configuration;
  final EntryCodec<K, V> codec;
  final ExpiryCalculator expiry;
  /** The configured loader (used by loadAll whether or not the cache reads through). */
  final @Nullable ReadThrough<K, V> loader;
  /** The loader if the cache reads through, else null. */
  final @Nullable ReadThrough<K, V> readThrough;
  /** The writer if the cache writes through, else null. */
  final @Nullable WriteThrough<K, V> writeThrough;
  final ListenerRegistry<K, V> listeners;
  final CacheStatistics statistics;
  final Clock clock;
  final Ticker ticker;
  /** Decodes records and resolves their siblings. */
  final RecordValues<K, V> values;
  private final CacheParts<K, V> parts;
  private final Coordinator coordinator;
  private final boolean plainReads;
  // store-by-value, eternal, no writer: a put with no listener is a KeyPlainPut
  private final boolean plainPuts;
  // N = 1: a read reaches the key's coordinating replica itself
  private final boolean soleReplica;
  private final CacheBulk<K, V> bulk;
  // the asynchronous operations at the cache's W and R
  private final CacheAsync<K, V> async;

  private volatile boolean statisticsEnabled;
  private volatile boolean closed;

  KeyspaceCache(RingstoreCacheManager manager, String name, RingstoreConfiguration<K, V> configuration) {
    this.manager = manager;
    this.name = name;
    this.configuration = configuration;
    this.clock = manager.env().clock();
    this.ticker = manager.env().ticker();
    this.statistics = new CacheStatistics();
    this.parts = CacheParts.create(this, manager, configuration);
    this.codec = parts.codec();
    this.expiry = parts.expiry();
    this.loader = parts.loader();
    this.readThrough = configuration.isReadThrough() ? loader : null;
    this.writeThrough = configuration.isWriteThrough() ? parts.writeThrough() : null;
    this.values = new RecordValues<>(codec, parts.resolver(), statistics);
    this.listeners = parts.listeners();
    this.plainReads = !expiry.hasAccessExpiry() && readThrough == null;
    this.plainPuts = expiry.isEternal() && !codec.isByReference() && writeThrough == null;
    this.bulk = new CacheBulk<>(this);
    this.statisticsEnabled = configuration.isStatisticsEnabled();
    this.coordinator = parts.openKeyspace(new EngineRemovals<>(this));
    this.soleReplica = coordinator.settings().replicationFactor() == 1;
    this.async = new CacheAsync<>(this, coordinator, coordinator.settings().writeQuorum(), coordinator.settings().readQuorum(), false);
  }

  // ---- single-key operations ----

  @Override
  public @Nullable V get(K key) {
    checkOpen();
    requireNonNull(key, "key");
    if (plainReads && !statisticsEnabled) {
      Bytes keyBytes = codec.encodeKeyIfKnown(key);
      if (keyBytes == null) {
        return null;
      }
      StoredRecord record = read(keyBytes);
      return record == null ? null : resolvedValue(keyBytes, record);
    }
    return getWithEffects(key);
  }

  /** A get that counts statistics, renews an access expiry or reads through. */
  private @Nullable V getWithEffects(K key) {
    long start = startTimer();
    V value;
    boolean hit;
    boolean loaded = false;
    if (plainReads) {
      Bytes keyBytes = codec.encodeKeyIfKnown(key);
      StoredRecord record = keyBytes == null ? null : read(keyBytes);
      value = record == null ? null : resolvedValue(keyBytes, record);
      hit = value != null;
    } else {
      Bytes keyBytes = codec.encodeKey(key);
      KeyRead<K, V> step = apply(keyBytes, new KeyRead<>(this, key, readThrough != null, null, listeners.newBatch()), null);
      value = step.value;
      hit = step.hit();
      loaded = step.loaded;
    }
    if (start != NO_TIMER) {
      recordGet(hit, start);
      if (loaded) {
        statistics.recordPuts(1);
      }
    }
    return value;
  }

  @Override
  public boolean containsKey(K key) {
    checkOpen();
    requireNonNull(key, "key");
    Bytes keyBytes = codec.encodeKeyIfKnown(key);
    return keyBytes != null && holdsValue(read(keyBytes));
  }

  /** Whether a record read for {@code containsKey} holds a value (its siblings resolve to one). */
  boolean holdsValue(@Nullable StoredRecord record) {
    return record != null && !record.isTombstone() && (!record.hasSiblings() || values.valueOf(record) != null);
  }

  @Override
  public void put(K key, V value) {
    if (!plainPuts) {
      write(Kind.PUT, key, value, 0);
      return;
    }
    checkOpen();
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    long start = startTimer();
    Bytes keyBytes = codec.encodeKey(key);
    Bytes valueBytes = codec.encodeValue(value);
    EventBatch<K, V> batch = listeners.newBatch();
    if (batch.isNoOp()) {
      // nothing listens: a put over nothing or one value without an expiry stores (the eternal
      // creation expiry) and has nothing to report; anything else is deferred to the general step
      KeyPlainPut plain = new KeyPlainPut(valueBytes);
      updatePlain(keyBytes, plain);
      if (!plain.deferred()) {
        recordPut(true, start);
        return;
      }
    }
    record(apply(keyBytes, KeyWrite.put(this, Kind.PUT, key, value, valueBytes, true, batch), valueBytes), start, 0);
  }

  @Override
  public @Nullable V getAndPut(K key, V value) {
    return write(Kind.GET_AND_PUT, key, value, HIT_OR_MISS | GET_TIME).previous;
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    if (soleReplica) {
      // The cache-aside race's common case, a key that is present, answered by a read: with one
      // replica the read sees the coordinating replica itself, so "present" is as true as the
      // atomic path would find it, and a present key is left untouched (no writer call, no event,
      // no expiry change) either way. Anything else takes the atomic path.
      checkOpen();
      requireNonNull(key, "key");
      requireNonNull(value, "value");
      long start = startTimer();
      StoredRecord record = read(codec.encodeKey(key));
      if (record != null && !record.isTombstone() && !record.hasSiblings()) {
        if (start != NO_TIMER) {
          recordHitOrMiss(true);
        }
        return false;
      }
    }
    return write(Kind.PUT_IF_ABSENT, key, value, HIT_OR_MISS).stored;
  }

  @Override
  public boolean replace(K key, V value) {
    return write(Kind.REPLACE, key, value, HIT_OR_MISS).stored;
  }

  @Override
  public @Nullable V getAndReplace(K key, V value) {
    return write(Kind.GET_AND_REPLACE, key, value, HIT_OR_MISS | GET_TIME).previous;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    checkOpen();
    requireNonNull(key, "key");
    requireNonNull(oldValue, "oldValue");
    requireNonNull(newValue, "newValue");
    long start = startTimer();
    Bytes keyBytes = codec.encodeKey(key);
    Bytes expectedBytes = codec.isByReference() ? null : codec.encodeValue(oldValue);
    Bytes valueBytes = codec.encodeValue(newValue);
    return record(apply(keyBytes, KeyWrite.replaceIfEqual(this, key, oldValue, expectedBytes, newValue, valueBytes, listeners.newBatch()),
        valueBytes), start, HIT_OR_MISS).stored;
  }

  @Override
  public boolean remove(K key) {
    checkOpen();
    requireNonNull(key, "key");
    long start = startTimer();
    return record(apply(codec.encodeKey(key), KeyWrite.remove(this, Kind.REMOVE, key, true, listeners.newBatch()), null), start, 0)
        .removed;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    checkOpen();
    requireNonNull(key, "key");
    requireNonNull(oldValue, "oldValue");
    long start = startTimer();
    Bytes keyBytes = codec.encodeKey(key);
    Bytes expectedBytes = codec.isByReference() ? null : codec.encodeValue(oldValue);
    return record(apply(keyBytes, KeyWrite.removeIfEqual(this, key, oldValue, expectedBytes, listeners.newBatch()), null), start,
        HIT_OR_MISS).removed;
  }

  @Override
  public @Nullable V getAndRemove(K key) {
    checkOpen();
    requireNonNull(key, "key");
    long start = startTimer();
    return record(apply(codec.encodeKey(key), KeyWrite.remove(this, Kind.GET_AND_REMOVE, key, true, listeners.newBatch()), null), start,
        HIT_OR_MISS | GET_TIME).previous;
  }

  /** A put-family write of {@code value} under {@code key}, with its statistics. */
  private KeyWrite<K, V> write(Kind kind, K key, V value, int counts) {
    checkOpen();
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    long start = startTimer();
    Bytes keyBytes = codec.encodeKey(key);
    Bytes valueBytes = codec.encodeValue(value);
    return record(apply(keyBytes, KeyWrite.put(this, kind, key, value, valueBytes, true, listeners.newBatch()), valueBytes), start, counts);
  }

  /**
   * Records a write's statistics, the spec's table: a put if it stored, a removal if it removed,
   * and, per {@code counts}, a hit or miss for whether a value was present and the get time.
   */
  KeyWrite<K, V> record(KeyWrite<K, V> step, long start, int counts) {
    if (start == NO_TIMER) {
      return step;
    }
    long elapsed = ticker.nanos() - start;
    if ((counts & HIT_OR_MISS) != 0) {
      recordHitOrMiss(step.present);
    }
    if ((counts & GET_TIME) != 0) {
      statistics.recordGetNanos(elapsed);
    }
    if (step.stored) {
      statistics.recordPuts(1);
      statistics.recordPutNanos(elapsed);
    }
    if (step.removed) {
      statistics.recordRemovals(1);
      statistics.recordRemoveNanos(elapsed);
    }
    return step;
  }

  /** The ticker now if statistics are on, else {@link #NO_TIMER}: the clock is read only when needed. */
  long startTimer() {
    return statisticsEnabled ? ticker.nanos() : NO_TIMER;
  }

  @Override
  public <T> @Nullable T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    checkOpen();
    requireNonNull(key, "key");
    requireNonNull(entryProcessor, "entryProcessor");
    long start = startTimer();
    KeyInvocation<K, V, T> step = apply(codec.encodeKey(key),
        new KeyInvocation<>(this, key, entryProcessor, arguments == null ? NO_ARGUMENTS : arguments, listeners.newBatch()), null);
    recordInvocation(step, start);
    return step.result;
  }

  /** Records an invocation's statistics: a hit or miss, and a put or removal if it made one. */
  void recordInvocation(KeyInvocation<K, V, ?> step, long start) {
    if (start != NO_TIMER) {
      recordGet(step.hit(), start);
      if (step.stored) {
        statistics.recordPuts(1);
        statistics.recordPutNanos(ticker.nanos() - start);
      }
      if (step.removed) {
        statistics.recordRemovals(1);
        statistics.recordRemoveNanos(ticker.nanos() - start);
      }
    }
  }

  /** Records a put's statistics if it stored. */
  void recordPut(boolean stored, long start) {
    if (start != NO_TIMER && stored) {
      statistics.recordPuts(1);
      statistics.recordPutNanos(ticker.nanos() - start);
    }
  }

  // ---- bulk operations and iteration ----

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    return bulk.getAll(keys);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    bulk.putAll(map);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    bulk.removeAll(keys);
  }

  @Override
  public void removeAll() {
    bulk.removeAll();
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, @Nullable CompletionListener completionListener) {
    bulk.loadAll(keys, replaceExistingValues, completionListener);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor,
      Object... arguments) {
    return bulk.invokeAll(keys, entryProcessor, arguments == null ? NO_ARGUMENTS : arguments);
  }

  @Override
  public void clear() {
    checkOpen();
    try {
      coordinator.clear();
    } catch (RingstoreException e) {
      throw translate(e);
    }
    codec.clearReferences();
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    checkOpen();
    return new CacheIterator<>(this, scan());
  }

  // ---- listeners, configuration, lifecycle ----

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    checkOpen();
    requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    synchronized (this) {
      listeners.register(listenerConfiguration);
      configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
    }
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    checkOpen();
    requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    synchronized (this) {
      listeners.deregister(listenerConfiguration);
      configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
    }
  }

  /**
   * A copy of the cache's configuration as it is now: changing the copy changes nothing (the spec
   * asks for an immutable value), and the cache's own, which listeners and the manager's
   * {@code enableStatistics} change, is never handed out.
   */
  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    requireNonNull(clazz, "clazz");
    if (clazz.isInstance(configuration)) {
      return clazz.cast(getRingstoreConfiguration());
    }
    throw new IllegalArgumentException("cache '" + name + "': the configuration is a " + configuration.getClass().getName()
        + ", not a " + clazz.getName());
  }

  /** The configured key type (fixed when the cache is created; no copy of the configuration). */
  Class<K> keyType() {
    return configuration.getKeyType();
  }

  /** The configured value type (fixed when the cache is created). */
  Class<V> valueType() {
    return configuration.getValueType();
  }

  /** A copy of the cache's configuration as it is now (see {@link #getConfiguration}). */
  @Override
  public synchronized RingstoreConfiguration<K, V> getRingstoreConfiguration() {
    return new RingstoreConfiguration<>(configuration);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public void close() {
    close(false);
  }

  /** Closes this cache and drops its records: {@code CacheManager.destroyCache}. */
  void destroy() {
    close(true);
  }

  private void close(boolean destroy) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // the keyspace closes before the manager forgets the cache: a createCache of the same name
    // that sees the name free finds the node's keyspace closed too
    parts.close(destroy);
    manager.forget(this);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    requireNonNull(clazz, "clazz");
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (clazz.isInstance(statistics)) {
      return clazz.cast(statistics);
    }
    throw new IllegalArgumentException("cache '" + name + "' cannot be unwrapped to " + clazz.getName()
        + "; it unwraps to " + RingstoreCache.class.getName());
  }

  @Override
  public List<SiblingResolver.Version<V>> getVersions(K key) {
    checkOpen();
    requireNonNull(key, "key");
    StoredRecord record = read(codec.encodeKey(key));
    return record == null || record.isTombstone() ? List.of() : values.versions(record);
  }

  @Override
  public Versions<V> getVersionsWithContext(K key) {
    checkOpen();
    requireNonNull(key, "key");
    return versionsOf(read(codec.encodeKey(key)));
  }

  /** The versions of a record read for {@code key}, and the context that covers them (a tombstone's too). */
  Versions<V> versionsOf(@Nullable StoredRecord record) {
    if (record == null) {
      return new Versions<>(List.of(), CausalContext.EMPTY);
    }
    return new Versions<>(record.isTombstone() ? List.of() : values.versions(record), CausalContext.of(record.clock()));
  }

  @Override
  public void put(K key, V value, CausalContext context) {
    checkOpen();
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    requireNonNull(context, "context");
    long start = startTimer();
    Bytes keyBytes = codec.encodeKey(key);
    Bytes valueBytes = codec.encodeValue(value);
    KeyContextWrite<K, V> step = apply(keyBytes, new KeyContextWrite<>(this, key, value, valueBytes, context.clock(),
        listeners.newBatch()), valueBytes);
    recordPut(step.stored, start);
  }

  @Override
  public RingstoreCache<K, V> withQuorums(int writeQuorum, int readQuorum) {
    checkOpen();
    checkQuorum("writeQuorum W", writeQuorum);
    checkQuorum("readQuorum R", readQuorum);
    return new QuorumView<>(this, new CacheAsync<>(this, coordinator, writeQuorum, readQuorum, true),
        new CacheAsync<>(this, coordinator, writeQuorum, readQuorum, false));
  }

  private void checkQuorum(String setting, int quorum) {
    int n = coordinator.settings().replicationFactor();
    if (quorum < 1 || quorum > n) {
      throw new IllegalArgumentException("cache '" + name + "': " + setting + " = " + quorum + " is out of range; need 1 <= "
          + setting.charAt(setting.length() - 1) + " <= N, the cache's replication factor (N = " + n + ")");
    }
  }

  @Override
  public RingView<K> ringView() {
    return ringView(coordinator.settings().writeQuorum(), coordinator.settings().readQuorum());
  }

  @Override
  public CompletionStage<List<RepairReport>> repair() {
    checkOpen();
    return manager.node().repair(coordinator.settings().name());
  }

  /** The ring view with these quorums (a {@link QuorumView}'s). */
  RingView<K> ringView(int writeQuorum, int readQuorum) {
    checkOpen();
    return new RingView<>(coordinator.ring(), coordinator.cluster(), codec, coordinator.settings().replicationFactor(), writeQuorum, readQuorum);
  }

  // ---- asynchronous operations: AsyncDelegation, through CacheAsync at the cache's quorums ----

  @Override
  CacheAsync<K, V> async() {
    return async;
  }

  @Override
  public long getDiscardedSiblings() {
    return statistics.getDiscardedSiblings();
  }

  /** Turns statistics on or off (the manager's {@code enableStatistics}). */
  void setStatisticsEnabled(boolean enabled) {
    synchronized (this) {
      configuration.setStatisticsEnabled(enabled);
    }
    statisticsEnabled = enabled;
    parts.registerStatistics(enabled);
  }

  /** Turns the configuration MXBean on or off (the manager's {@code enableManagement}). */
  void setManagementEnabled(boolean enabled) {
    synchronized (this) {
      configuration.setManagementEnabled(enabled);
    }
    parts.registerConfiguration(enabled);
  }

  /** Registers the MXBeans the configuration asks for; called once the manager knows the cache. */
  void start() {
    parts.registerConfiguration(configuration.isManagementEnabled());
    parts.registerStatistics(configuration.isStatisticsEnabled());
  }

  // ---- the data path, for this package ----

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cache '" + name + "' is closed");
    }
  }

  boolean statisticsEnabled() {
    return statisticsEnabled;
  }

  /** Whether a get is a plain read: no access expiry to renew, no loader to call. */
  boolean plainReads() {
    return plainReads;
  }

  /** Runs asynchronous work of this cache (loadAll; the loaders and writers of asynchronous operations). */
  java.util.concurrent.Executor executor() {
    return manager.executor();
  }

  /** The record of R replicas of {@code key}; engine-side expiry is reported through {@link #onRemoval}. */
  @Nullable StoredRecord read(Bytes key) {
    try {
      return coordinator.read(key);
    } catch (RingstoreException e) {
      throw translate(e);
    } catch (IllegalStateException e) {
      throw translate(e);
    }
  }

  /**
   * Runs {@code step} atomically on {@code key}, then releases displaced and unused
   * store-by-reference handles and fires the step's events.
   *
   * @param newBytes value bytes the caller encoded for the step (released if a by-reference cache
   *     did not store them), or null
   */
  <S extends KeyStep<K, V>> S apply(Bytes key, S step, @Nullable Bytes newBytes) {
    applyWithoutFiring(key, step, newBytes);
    step.batch.fire();
    return step;
  }

  /**
   * As {@link #apply}, but leaves the step's events in its batch: bulk operations share one batch
   * and fire it once every key is done, so that a failing listener cannot stop them half-way.
   */
  <S extends KeyStep<K, V>> S applyWithoutFiring(Bytes key, S step, @Nullable Bytes newBytes) {
    try {
      coordinator.update(key, step);
    } catch (RingstoreException e) {
      step.discardEvents();
      releaseUnused(step, newBytes, null);
      throw translate(e);
    } catch (IllegalStateException e) {
      step.discardEvents();
      releaseUnused(step, newBytes, null);
      throw translate(e);
    } catch (RuntimeException | Error e) {
      step.discardEvents();
      releaseUnused(step, newBytes, null);
      throw e;
    }
    if (codec.isByReference()) {
      values.release(step.displaced);
      releaseUnused(step, newBytes, step.written);
    }
    return step;
  }

  /**
   * Runs a put that has no after-steps (no events, no store-by-reference handles), translating
   * failures as {@link #applyWithoutFiring} does.
   */
  private void updatePlain(Bytes key, KeyPlainPut put) {
    try {
      coordinator.update(key, put);
    } catch (RingstoreException e) {
      throw translate(e);
    } catch (IllegalStateException e) {
      throw translate(e);
    }
  }

  /**
   * The after-steps of an update that completed asynchronously, as {@link #applyWithoutFiring}
   * takes them: on success, releases displaced and unused store-by-reference handles; on
   * {@code failure}, discards the step's events, releases its unused handles and returns the
   * exception for the caller, translated as the synchronous path translates it.
   *
   * @return the exception to complete the operation with, or null if the update took effect
   */
  @Nullable Throwable completeUpdate(KeyStep<K, V> step, @Nullable Bytes newBytes, @Nullable Throwable failure) {
    if (failure != null) {
      step.discardEvents();
      releaseUnused(step, newBytes, null);
      if (failure instanceof RingstoreException e) {
        return translate(e);
      }
      if (failure instanceof IllegalStateException e) {
        return translate(e);
      }
      return failure;
    }
    if (codec.isByReference()) {
      values.release(step.displaced);
      releaseUnused(step, newBytes, step.written);
    }
    return null;
  }

  private void releaseUnused(KeyStep<K, V> step, @Nullable Bytes newBytes, @Nullable Bytes written) {
    if (newBytes != null && newBytes != written) {
      codec.release(newBytes);
    }
    if (step.encodedHere != null && step.encodedHere != written) {
      codec.release(step.encodedHere);
    }
  }

  /** Whether the keyspace's ring has other nodes (bulk operations then run their keys at once). */
  boolean spansNodes() {
    return !coordinator.ring().isSingleMember();
  }

  /**
   * The records of {@code keys} read all at once (bulk reads on a ring of several nodes); the first
   * failure is thrown, translated, once every read is done.
   */
  List<@Nullable StoredRecord> readAll(List<Bytes> keys) {
    List<@Nullable Object> outcomes = coordinator.readAll(keys);
    List<@Nullable StoredRecord> records = new java.util.ArrayList<>(outcomes.size());
    for (Object outcome : outcomes) {
      if (outcome instanceof RuntimeException e) {
        throw e instanceof RingstoreException r ? translate(r) : e instanceof IllegalStateException i ? translate(i) : e;
      }
      records.add((StoredRecord) outcome);
    }
    return records;
  }

  /**
   * Runs {@code steps} on {@code keys} all at once (bulk writes on a ring of several nodes), leaving
   * their events in their batches; each step that failed has its events discarded.
   *
   * @return per step, null or its failure, translated
   */
  List<@Nullable RuntimeException> updateAllWithoutFiring(List<Bytes> keys, List<? extends KeyStep<K, V>> steps) {
    List<@Nullable Object> outcomes = coordinator.updateAll(keys, steps);
    List<@Nullable RuntimeException> failures = new java.util.ArrayList<>(outcomes.size());
    for (int i = 0; i < outcomes.size(); i++) {
      Object outcome = outcomes.get(i);
      if (outcome instanceof RuntimeException e) {
        steps.get(i).discardEvents();
        failures.add(e instanceof RingstoreException r ? translate(r) : e instanceof IllegalStateException ise ? translate(ise) : e);
      } else {
        failures.add(null);
      }
    }
    return failures;
  }

  /** A plain update outside the JCache operations (sibling repair). */
  void update(Bytes key, KeyOperation operation) {
    try {
      coordinator.update(key, operation);
    } catch (RingstoreException e) {
      throw translate(e);
    } catch (IllegalStateException e) {
      throw translate(e);
    }
  }

  /** A weakly consistent scan of this node's records of the keyspace. */
  Iterator<EngineEntry> scan() {
    try {
      return coordinator.scan();
    } catch (RingstoreException e) {
      throw translate(e);
    } catch (IllegalStateException e) {
      throw translate(e);
    }
  }

  /** The value of a record read for {@code key}; siblings are resolved and the resolution written back. */
  @Nullable V resolvedValue(Bytes key, StoredRecord record) {
    if (!record.hasSiblings()) {
      return values.soleValueOf(record);
    }
    V resolved = values.valueOf(record);
    if (!codec.isByReference()) {
      Bytes resolvedBytes = resolved == null ? null : codec.encodeValue(resolved);
      update(key, current -> current == null || !current.clock().equals(record.clock()) ? Mutation.KEEP
          : resolvedBytes == null ? Mutation.DELETE : Mutation.write(resolvedBytes, current.expiresAtMillis()));
    }
    return resolved;
  }

  boolean wantsExpiredValues() {
    return listeners.wants(EventType.EXPIRED);
  }

  void recordGet(boolean hit, long startNanos) {
    recordHitOrMiss(hit);
    statistics.recordGetNanos(ticker.nanos() - startNanos);
  }

  void recordHitOrMiss(boolean hit) {
    if (hit) {
      statistics.recordHits(1);
    } else {
      statistics.recordMisses(1);
    }
  }

  /** Ringstore's own exceptions become CacheExceptions at this edge, keeping the cause. */
  CacheException translate(RingstoreException e) {
    return new CacheException(e.getMessage(), e);
  }

  /**
   * An IllegalStateException from below means this cache was closed meanwhile (its engine is
   * closed: JCache's IllegalStateException, rethrown) or the keyspace cannot serve the operation,
   * e.g. quorums a lone node cannot reach (a CacheException).
   */
  RuntimeException translate(IllegalStateException e) {
    if (closed) {
      return new IllegalStateException("cache '" + name + "' is closed", e);
    }
    return new CacheException("cache '" + name + "': " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "RingstoreCache[" + name + " of " + manager.getURI() + "]";
  }
}
