package io.ringstore.provider;

import io.ringstore.provider.configuration.ConfigurationFile;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * Ringstore's JCache {@link CachingProvider}, found by {@code Caching.getCachingProvider()} through
 * {@code META-INF/services/javax.cache.spi.CachingProvider}.
 *
 * <p>Cache managers are scoped by class loader and URI: one manager per (class loader, URI) pair
 * until it is closed, after which the next request makes a new one. The class loader is held
 * weakly, so an application's loader that is otherwise unreachable (a redeployed web application)
 * does not stay in memory. The default URI is {@value #DEFAULT_URI_TEXT}; the default class loader
 * is this class's own loader.
 *
 * <p>The URI may name a configuration file ({@link ConfigurationFile}, format in
 * {@code docs/configuration.md}): {@code classpath:<path>} (a resource of the class loader), or any
 * URI Java opens as a URL ({@code file:}, {@code jar:file:...!/...}, Spring Boot's
 * {@code jar:nested:...}). Its caches exist when the manager is returned; a missing or invalid file
 * fails {@code getCacheManager} with a {@link javax.cache.CacheException} naming the file, the line
 * and the key. {@code ringstore:<name>}, a relative URI and a URI whose scheme has no URL handler
 * name a manager without a file. The file is read once, when the manager is made; the next manager
 * for the URI (after {@code close}) reads it again. The default manager ({@value #DEFAULT_URI_TEXT})
 * reads the file the system property {@value #CONFIGURATION_PROPERTY} names, if it is set, so that
 * a JVM can be pointed at a configuration (a clustered node, replicated defaults) without code.
 * A file's {@code defaults} also apply, for Ringstore settings, to caches created in code from a
 * plain {@code MutableConfiguration} (see {@link RingstoreCacheManager}).
 *
 * <p>Properties are those of {@link RingstoreCacheManager} and are kept as given
 * ({@link CacheManager#getProperties()}); like the class loader they matter only when a manager is
 * made, not when an open one is returned.
 *
 * <p>Supported optional features: {@link OptionalFeature#STORE_BY_REFERENCE} (for caches with
 * N = 1).
 *
 * <p>Thread-safety: thread-safe; the manager table is guarded by its own lock. No static state:
 * {@code javax.cache.Caching} makes one provider per class loader, and each has its own managers.
 */
public final class RingstoreCachingProvider implements CachingProvider {

  /** The default URI's text. */
  public static final String DEFAULT_URI_TEXT = "ringstore:default";

  /**
   * The system property naming the default manager's configuration file: a URI as
   * {@code getCacheManager} takes ({@code classpath:<path>}, {@code file:<path>}, ...). Read each
   * time a default manager ({@value #DEFAULT_URI_TEXT}) is made; other URIs ignore it.
   */
  public static final String CONFIGURATION_PROPERTY = "ringstore.configuration";

  private static final URI DEFAULT_URI = URI.create(DEFAULT_URI_TEXT);

  // guarded by itself
  private final WeakHashMap<ClassLoader, Map<URI, RingstoreCacheManager>> managers = new WeakHashMap<>();

  /** The provider; {@link java.util.ServiceLoader} needs a public no-argument constructor. */
  public RingstoreCachingProvider() {}

  @Override
  public CacheManager getCacheManager(@Nullable URI uri, @Nullable ClassLoader classLoader, @Nullable Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    RingstoreCacheManager open = openManager(loader, managerUri);
    if (open != null) {
      return open;
    }
    // The file is read outside the provider's lock: a slow one (a remote URL) must not hold up
    // getCacheManager for every other URI and class loader. Two threads may both read it; the
    // first to come back makes the manager and the other uses that one.
    Optional<ConfigurationFile> file = fileFor(managerUri, loader);
    synchronized (managers) {
      Map<URI, RingstoreCacheManager> byUri = managers.computeIfAbsent(loader, ignored -> new HashMap<>());
      RingstoreCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        manager = new RingstoreCacheManager(this, managerUri, loader, properties == null ? getDefaultProperties() : properties,
            file.map(ConfigurationFile::caches).orElse(List.of()), file.map(ConfigurationFile::nodeProperties).orElse(Map.of()),
            file.map(ConfigurationFile::defaults).orElseGet(RingstoreConfiguration::new));
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  /**
   * The configuration file of the manager for {@code uri}: for the default URI the one the system
   * property {@value #CONFIGURATION_PROPERTY} names, if set; otherwise the one the URI names, if any.
   *
   * @throws CacheException if the property is not a URI or names no file, or the file is missing or
   *     not valid
   */
  private static Optional<ConfigurationFile> fileFor(URI managerUri, ClassLoader loader) {
    String named = managerUri.equals(DEFAULT_URI) ? System.getProperty(CONFIGURATION_PROPERTY) : null;
    if (named == null || named.isBlank()) {
      return ConfigurationFile.forUri(managerUri, loader);
    }
    URI fileUri;
    try {
      fileUri = new URI(named.trim());
    } catch (URISyntaxException e) {
      throw new CacheException("system property " + CONFIGURATION_PROPERTY + " = '" + named + "' is not a URI (" + e.getMessage()
          + "); need classpath:<path>, file:<path> or another URI Java opens as a URL", e);
    }
    Optional<ConfigurationFile> file = ConfigurationFile.forUri(fileUri, loader);
    if (file.isEmpty()) {
      throw new CacheException("system property " + CONFIGURATION_PROPERTY + " = '" + named + "' names no configuration file; "
          + "need classpath:<path>, file:<path> or another URI Java opens as a URL");
    }
    return file;
  }

  /** The open manager for {@code uri} and {@code loader}, or {@code null}. */
  private @Nullable RingstoreCacheManager openManager(ClassLoader loader, URI uri) {
    synchronized (managers) {
      Map<URI, RingstoreCacheManager> byUri = managers.get(loader);
      RingstoreCacheManager manager = byUri == null ? null : byUri.get(uri);
      return manager == null || manager.isClosed() ? null : manager;
    }
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader loader = getClass().getClassLoader();
    return loader != null ? loader : ClassLoader.getSystemClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public CacheManager getCacheManager(@Nullable URI uri, @Nullable ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader());
  }

  @Override
  public void close() {
    List<RingstoreCacheManager> open = new ArrayList<>();
    synchronized (managers) {
      for (Map<URI, RingstoreCacheManager> byUri : managers.values()) {
        open.addAll(byUri.values());
      }
      managers.clear();
    }
    closeAll(open);
  }

  @Override
  public void close(@Nullable ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    List<RingstoreCacheManager> open = new ArrayList<>();
    synchronized (managers) {
      Map<URI, RingstoreCacheManager> byUri = managers.remove(loader);
      if (byUri != null) {
        open.addAll(byUri.values());
      }
    }
    closeAll(open);
  }

  @Override
  public void close(@Nullable URI uri, @Nullable ClassLoader classLoader) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    RingstoreCacheManager manager;
    synchronized (managers) {
      Map<URI, RingstoreCacheManager> byUri = managers.get(loader);
      manager = byUri == null ? null : byUri.remove(managerUri);
      if (byUri != null && byUri.isEmpty()) {
        managers.remove(loader);
      }
    }
    if (manager != null) {
      manager.close();
    }
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    return optionalFeature == OptionalFeature.STORE_BY_REFERENCE;
  }

  /** Forgets a manager that closed itself. */
  void release(RingstoreCacheManager manager) {
    synchronized (managers) {
      ClassLoader loader = manager.getClassLoader();
      Map<URI, RingstoreCacheManager> byUri = loader == null ? null : managers.get(loader);
      if (byUri != null && byUri.get(manager.getURI()) == manager) {
        byUri.remove(manager.getURI());
        if (byUri.isEmpty()) {
          managers.remove(loader);
        }
      }
    }
  }

  private static void closeAll(List<RingstoreCacheManager> open) {
    for (RingstoreCacheManager manager : open) {
      manager.close();
    }
  }

  @Override
  public String toString() {
    return "RingstoreCachingProvider";
  }
}
