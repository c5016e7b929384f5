package io.ringstore.provider;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.configuration.CacheSettings;
import io.ringstore.provider.configuration.DeclaredCache;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.env.Env;
import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * A JCache {@link CacheManager}: this JVM's Ringstore node for one URI and class loader. The
 * manager owns one {@link RingstoreNode} (embedded: a cluster of one, N = W = R = 1 by default) and
 * each of its caches is a keyspace of that node.
 *
 * <p>Properties ({@link CachingProvider#getCacheManager(URI, ClassLoader, Properties)}):
 * <ul>
 *   <li>{@value #ENV_PROPERTY}: an {@link Env} object (time and scheduling; tests pass a fake
 *       clock), default {@link Env#system()};</li>
 *   <li>{@value #NODE_ID_PROPERTY}: the node's id, default a random {@code node-} id;</li>
 *   <li>{@code ringstore.node.weight}, {@code ringstore.cluster.host}, {@code ringstore.cluster.port},
 *       {@code ringstore.cluster.seeds}: the node's capacity weight and how it joins a cluster
 *       (see {@link NodeLauncher}). Without a cluster port or seeds the node is embedded.</li>
 * </ul>
 * The same node settings may be written in the configuration file's {@code node} mapping; a
 * property given here wins over the file.
 *
 * <p>Caches declared in the manager's configuration file exist from the start; they are ordinary
 * caches afterwards ({@code createCache} of the same name throws, {@code destroyCache} destroys one
 * until the next manager for the URI reads the file again). The file's {@code defaults} also give
 * the Ringstore settings (N/W/R, engine, bounds, timeouts...) of a cache created in code from a
 * configuration that is not a {@link RingstoreConfiguration}, such as a plain
 * {@code MutableConfiguration}; its JCache settings stay as given.
 *
 * <p>Asynchronous work (asynchronous listeners, {@code loadAll}) runs on the manager's executor:
 * {@value #ASYNC_THREADS} daemon threads with a queue of {@value #ASYNC_QUEUE_BOUND} tasks; past the
 * bound, and once the manager is closed, the submitting thread runs the task itself (push-back;
 * nothing is dropped, so deliveries already chained behind a slow listener still happen after
 * {@code close()}).
 *
 * <p>Thread-safety: thread-safe. Creating and closing caches is serialised by a lock; looking caches
 * up is lock-free.
 */
public final class RingstoreCacheManager implements CacheManager {
  private static final System.Logger LOG = System.getLogger(RingstoreCacheManager.class.getName());

  /** The property holding the {@link Env} the node runs with. */
  public static final String ENV_PROPERTY = "ringstore.env";

  /** The property holding the node's id. */
  public static final String NODE_ID_PROPERTY = NodeLauncher.NODE_ID;

  /** Threads of the asynchronous executor. */
  public static final int ASYNC_THREADS = 4;

  /** Tasks the asynchronous executor queues before the submitter runs them itself. */
  public static final int ASYNC_QUEUE_BOUND = 100_000;

  // constant after construction
  private final RingstoreCachingProvider provider;
  private final URI uri;
  private final WeakReference<ClassLoader> classLoader;
  private final Properties properties;
  private final Env env;
  private final RingstoreNode node;
  private final RingstoreConfiguration<Object, Object> defaults;
  private final ThreadPoolExecutor executor;
  private final Object lock = new Object();

  private final ConcurrentHashMap<String, KeyspaceCache<?, ?>> caches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  RingstoreCacheManager(RingstoreCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties) {
    this(provider, uri, classLoader, properties, List.of(), Map.of(), new RingstoreConfiguration<>());
  }

  /**
   * A manager whose {@code declared} caches (from its configuration file) exist once it is made,
   * on a node started from {@code properties} over the file's {@code nodeProperties}; caches
   * created in code from a configuration that is not a {@link RingstoreConfiguration} take their
   * Ringstore settings from {@code defaults} (the file's {@code defaults} section).
   *
   * @throws javax.cache.CacheException naming the file and the cache if a declared cache cannot be
   *     created; the half-made manager is closed first
   */
  RingstoreCacheManager(RingstoreCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
      List<DeclaredCache> declared, Map<String, String> nodeProperties, RingstoreConfiguration<Object, Object> defaults) {
    this.provider = provider;
    this.defaults = new RingstoreConfiguration<>(defaults);
    this.uri = uri;
    this.classLoader = new WeakReference<>(classLoader);
    this.properties = properties;
    Object envProperty = properties.get(ENV_PROPERTY);
    if (envProperty != null && !(envProperty instanceof Env)) {
      throw new IllegalArgumentException("property " + ENV_PROPERTY + " must hold an " + Env.class.getName() + ", got a "
          + envProperty.getClass().getName());
    }
    this.env = envProperty == null ? Env.system() : (Env) envProperty;
    this.node = NodeLauncher.start(classLoader, env, properties, nodeProperties);
    this.executor = new ThreadPoolExecutor(ASYNC_THREADS, ASYNC_THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(ASYNC_QUEUE_BOUND), daemonThreads("ringstore-async-" + node.nodeId()),
        RingstoreCacheManager::runOnCaller);
    this.executor.allowCoreThreadTimeOut(true);
    for (DeclaredCache cache : declared) {
      try {
        createCache(cache.name(), cache.configuration());
      } catch (RuntimeException e) {
        close();
        throw cache.cannotCreate(e);
      }
    }
  }

  /**
   * The executor's rejection handler: the submitting thread runs the task. Unlike
   * {@link ThreadPoolExecutor.CallerRunsPolicy}, also once the executor is shut down, which would
   * otherwise drop the task silently (and with it an event chained behind a slow listener).
   */
  private static void runOnCaller(Runnable task, ThreadPoolExecutor executor) {
    task.run();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public @Nullable ClassLoader getClassLoader() {
    return classLoader.get();
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    requireNonNull(configuration, "configuration");
    synchronized (lock) {
      checkOpen();
      if (caches.containsKey(cacheName)) {
        throw new CacheException("a cache named '" + cacheName + "' already exists in cache manager " + uri);
      }
      RingstoreConfiguration<K, V> copy = CacheSettings.validatedCopy(cacheName, configuration, defaults);
      KeyspaceCache<K, V> cache = new KeyspaceCache<>(this, cacheName, copy);
      caches.put(cacheName, cache);
      try {
        cache.start();
      } catch (RuntimeException e) {
        cache.close();
        throw e;
      }
      return cache;
    }
  }

  @Override
  public <K, V> @Nullable Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    requireNonNull(keyType, "keyType");
    requireNonNull(valueType, "valueType");
    KeyspaceCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    if (!keyType.equals(cache.keyType())) {
      throw new ClassCastException("cache '" + cacheName + "' has key type " + cache.keyType().getName()
          + ", not the requested " + keyType.getName());
    }
    if (!valueType.equals(cache.valueType())) {
      throw new ClassCastException("cache '" + cacheName + "' has value type " + cache.valueType().getName()
          + ", not the requested " + valueType.getName());
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  @Override
  public <K, V> @Nullable Cache<K, V> getCache(String cacheName) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    @SuppressWarnings("unchecked")
    Cache<K, V> cache = (Cache<K, V>) caches.get(cacheName);
    return cache;
  }

  @Override
  public Iterable<String> getCacheNames() {
    checkOpen();
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    KeyspaceCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.destroy();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    KeyspaceCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    KeyspaceCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    provider.release(this);
    List<KeyspaceCache<?, ?>> open = new ArrayList<>(caches.values());
    for (KeyspaceCache<?, ?> cache : open) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing cache '" + cache.getName() + "' of " + uri + " failed", e);
      }
    }
    caches.clear();
    node.close();
    executor.shutdown();
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
    if (clazz.isInstance(node)) {
      return clazz.cast(node);
    }
    throw new IllegalArgumentException("cache manager " + uri + " cannot be unwrapped to " + clazz.getName()
        + "; it unwraps to " + RingstoreCacheManager.class.getName() + " and " + RingstoreNode.class.getName());
  }

  /** The node that holds this manager's caches. */
  RingstoreNode node() {
    return node;
  }

  /** Time and scheduling of the node. */
  Env env() {
    return env;
  }

  /** Runs asynchronous listeners and loads. */
  Executor executor() {
    return executor;
  }

  /** The manager's class loader, or this provider's if the application let go of it. */
  ClassLoader classLoaderOrDefault() {
    ClassLoader loader = classLoader.get();
    return loader != null ? loader : provider.getDefaultClassLoader();
  }

  /** Forgets a closed cache. */
  void forget(KeyspaceCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cache manager " + uri + " is closed");
    }
  }

  @Override
  public String toString() {
    return "RingstoreCacheManager[" + uri + ", node " + node.nodeId() + "]";
  }
}
