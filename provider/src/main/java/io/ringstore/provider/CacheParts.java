package io.ringstore.provider;

import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.provider.cluster.ClusterEvents;
import io.ringstore.provider.cluster.PrimaryExpiries;
import io.ringstore.provider.codec.EntryCodec;
import io.ringstore.provider.configuration.CacheSettings;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.provider.event.EventRelay;
import io.ringstore.provider.event.ListenerRegistry;
import io.ringstore.provider.expiry.ExpiryCalculator;
import io.ringstore.provider.integration.ReadThrough;
import io.ringstore.provider.integration.WriteThrough;
import io.ringstore.provider.management.CacheConfigurationBean;
import io.ringstore.provider.management.ManagementRegistry;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.SiblingResolver;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheException;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import org.jspecify.annotations.Nullable;

/**
 * What a cache is made of besides its data: its codec, the objects its configuration's factories
 * create (expiry policy, loader, writer, sibling resolver, listeners), its keyspace and its MXBeans;
 * and how they are built and released.
 *
 * <p>Construction is all or nothing: if a factory or the keyspace fails, whatever was created is
 * closed again and the exception reaches {@code createCache} (a keyspace failure as an
 * {@link IllegalArgumentException} naming the cache).
 *
 * <p>Thread-safety: constant after construction; {@link #close()} is called once by the cache.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheParts<K, V> {
  private static final System.Logger LOG = System.getLogger(CacheParts.class.getName());

  private final KeyspaceCache<K, V> cache;
  private final RingstoreCacheManager manager;
  private final RingstoreConfiguration<K, V> configuration;
  private final EntryCodec<K, V> codec;
  private final ExpiryCalculator expiry;
  private final @Nullable ReadThrough<K, V> loader;
  private final @Nullable WriteThrough<K, V> writer;
  private final SiblingResolver<V> resolver;
  private final ListenerRegistry<K, V> listeners;

  private CacheParts(KeyspaceCache<K, V> cache, RingstoreCacheManager manager, RingstoreConfiguration<K, V> configuration,
      EntryCodec<K, V> codec, ExpiryCalculator expiry, @Nullable ReadThrough<K, V> loader, @Nullable WriteThrough<K, V> writer,
      SiblingResolver<V> resolver, ListenerRegistry<K, V> listeners) {
    this.cache = cache;
    this.manager = manager;
    this.configuration = configuration;
    this.codec = codec;
    this.expiry = expiry;
    this.loader = loader;
    this.writer = writer;
    this.resolver = resolver;
    this.listeners = listeners;
  }

  /** Builds the parts of {@code cache} from its (validated) configuration. */
  static <K, V> CacheParts<K, V> create(KeyspaceCache<K, V> cache, RingstoreCacheManager manager, RingstoreConfiguration<K, V> configuration) {
    String name = cache.getName();
    List<Object> created = new ArrayList<>();
    try {
      ClassLoader classLoader = manager.classLoaderOrDefault();
      EntryCodec<K, V> codec = EntryCodec.of(name, configuration, classLoader);
      Factory<? extends ExpiryPolicy> expiryFactory = configuration.getExpiryPolicyFactory();
      ExpiryPolicy policy = expiryFactory == null ? new EternalExpiryPolicy() : created(created, expiryFactory.create(), "ExpiryPolicy", name);
      Factory<? extends CacheLoader<K, V>> loaderFactory = configuration.getCacheLoaderFactory();
      CacheLoader<K, V> cacheLoader = loaderFactory == null ? null : created(created, loaderFactory.create(), "CacheLoader", name);
      Factory<? extends CacheWriter<? super K, ? super V>> writerFactory = configuration.getCacheWriterFactory();
      CacheWriter<? super K, ? super V> cacheWriter = writerFactory == null ? null
          : created(created, writerFactory.create(), "CacheWriter", name);
      Factory<? extends SiblingResolver<V>> resolverFactory = configuration.getSiblingResolverFactory();
      SiblingResolver<V> resolver = resolverFactory == null ? SiblingResolver.lastWriteWins()
          : created(created, resolverFactory.create(), "SiblingResolver", name);
      // a clustered cache's events also reach, and come from, the listeners of other nodes
      ClusterEvents<K, V> relay = ClusterEvents.forCache(name, manager.node(), codec, manager.executor());
      ListenerRegistry<K, V> listeners = new ListenerRegistry<>(cache, manager.executor(), classLoader,
          relay == null ? EventRelay.none() : relay);
      if (relay != null) {
        relay.attach(listeners);
      }
      created.add(listeners);
      for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
        listeners.register(listener);
      }
      return new CacheParts<>(cache, manager, configuration, codec, new ExpiryCalculator(policy),
          cacheLoader == null ? null : new ReadThrough<>(cacheLoader), cacheWriter == null ? null : new WriteThrough<>(cacheWriter),
          resolver, listeners);
    } catch (RuntimeException | Error e) {
      for (Object part : created) {
        closeQuietly(part, name);
      }
      throw e;
    }
  }

  private static <T> T created(List<Object> created, @Nullable T part, String what, String cacheName) {
    if (part == null) {
      throw new IllegalArgumentException("cache '" + cacheName + "': the " + what + " factory created null");
    }
    created.add(part);
    return part;
  }

  /**
   * Opens the cache's keyspace on the manager's node.
   *
   * @throws IllegalArgumentException naming the cache if the engine is unknown or refuses the
   *     settings; the other parts are closed first
   */
  Coordinator openKeyspace(RemovalListener listener) {
    try {
      if (manager.node().isClustered()) {
        // an expiry every replica's engine notices is reported by the key's primary only
        PrimaryExpiries primary = new PrimaryExpiries(listener);
        Coordinator coordinator = manager.node().openKeyspace(CacheSettings.keyspace(cache.getName(), configuration, primary));
        primary.attach(coordinator);
        return coordinator;
      }
      return manager.node().openKeyspace(CacheSettings.keyspace(cache.getName(), configuration, listener));
    } catch (RuntimeException e) {
      closeComponents();
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      if (e instanceof IllegalArgumentException) {
        throw new IllegalArgumentException(message.startsWith("cache '") ? message : "cache '" + cache.getName() + "': " + message, e);
      }
      throw new CacheException("cache '" + cache.getName() + "': cannot open its keyspace: " + message, e);
    }
  }

  EntryCodec<K, V> codec() {
    return codec;
  }

  ExpiryCalculator expiry() {
    return expiry;
  }

  @Nullable ReadThrough<K, V> loader() {
    return loader;
  }

  @Nullable WriteThrough<K, V> writeThrough() {
    return writer;
  }

  SiblingResolver<V> resolver() {
    return resolver;
  }

  ListenerRegistry<K, V> listeners() {
    return listeners;
  }

  /** Registers or unregisters the statistics MXBean. */
  void registerStatistics(boolean enabled) {
    if (enabled) {
      ManagementRegistry.register(cache, ManagementRegistry.Kind.STATISTICS, cache.statistics);
    } else {
      ManagementRegistry.unregister(cache, ManagementRegistry.Kind.STATISTICS);
    }
  }

  /** Registers or unregisters the configuration MXBean. */
  void registerConfiguration(boolean enabled) {
    if (enabled) {
      ManagementRegistry.register(cache, ManagementRegistry.Kind.CONFIGURATION, new CacheConfigurationBean(configuration));
    } else {
      ManagementRegistry.unregister(cache, ManagementRegistry.Kind.CONFIGURATION);
    }
  }

  /**
   * Releases everything: MXBeans, listeners, loader, writer, expiry policy and the keyspace, whose
   * records are dropped if {@code destroy} ({@code destroyCache}) and kept by a persistent engine
   * otherwise ({@code Cache.close()}, a closing manager).
   */
  void close(boolean destroy) {
    try {
      registerStatistics(false);
      registerConfiguration(false);
    } catch (CacheException e) {
      LOG.log(Level.WARNING, "cache '" + cache.getName() + "': unregistering its MXBeans failed", e);
    }
    closeComponents();
    try {
      if (destroy) {
        manager.node().dropKeyspace(cache.getName());
      } else {
        manager.node().closeKeyspace(cache.getName());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cache '" + cache.getName() + "': " + (destroy ? "dropping" : "closing") + " its keyspace failed", e);
    }
    codec.close();
  }

  private void closeComponents() {
    String name = cache.getName();
    closeQuietly(listeners, name);
    closeQuietly(loader == null ? null : loader.loader(), name);
    closeQuietly(writer == null ? null : writer.writer(), name);
    closeQuietly(expiry.policy(), name);
    closeQuietly(resolver, name);
  }

  private static void closeQuietly(@Nullable Object part, String cacheName) {
    if (part instanceof ListenerRegistry<?, ?> registry) {
      try {
        registry.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cache '" + cacheName + "': closing its listeners failed", e);
      }
      return;
    }
    ExpiryCalculator.closeQuietly(part, "part of cache '" + cacheName + "'");
  }
}
