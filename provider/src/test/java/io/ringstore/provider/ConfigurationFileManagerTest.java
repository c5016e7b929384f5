package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.configuration.ConfigurationFileException;
import io.ringstore.provider.configuration.ConfigurationFiles;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.EvictionPolicy;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache managers opened on a configuration file named by their URI: file:, classpath:, jar:file:. */
class ConfigurationFileManagerTest {
  private static final String ORDERS = """
      defaults:
        statistics: true
      caches:
        orders:
          key-type: java.lang.String
          value-type: java.lang.Long
          max-entries: 100
          eviction: lfu
        sessions:
          expiry: {policy: accessed, duration: 30m}
      """;

  private final CachingProvider provider = Caching.getCachingProvider(RingstoreCachingProvider.class.getName());
  private final ClassLoader loader = getClass().getClassLoader();
  private final List<CacheManager> opened = new ArrayList<>();
  private final List<URLClassLoader> loaders = new ArrayList<>();

  @TempDir
  Path dir;

  @AfterEach
  void closeAll() throws Exception {
    for (CacheManager manager : opened) {
      manager.close();
    }
    for (URLClassLoader l : loaders) {
      l.close();
    }
  }

  private CacheManager open(URI uri, ClassLoader classLoader, Properties properties) {
    CacheManager manager = provider.getCacheManager(uri, classLoader, properties);
    opened.add(manager);
    return manager;
  }

  private CacheManager open(URI uri) {
    return open(uri, loader, new Properties());
  }

  private URLClassLoader loaderOver(Path path) throws Exception {
    URLClassLoader l = new URLClassLoader(new URL[] {path.toUri().toURL()}, loader);
    loaders.add(l);
    return l;
  }

  @Test
  void declaredCachesExistWhenTheManagerOpens() {
    URI uri = ConfigurationFiles.write(dir, "conf/ringstore.yaml", ORDERS);
    CacheManager manager = open(uri);

    assertThat(manager.getURI()).isEqualTo(uri);
    assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("orders", "sessions");
    Cache<String, Long> orders = manager.getCache("orders", String.class, Long.class);
    orders.put("a", 1L);
    assertThat(orders.get("a")).isEqualTo(1L);
    @SuppressWarnings("unchecked")
    RingstoreConfiguration<String, Long> configuration = orders.getConfiguration(RingstoreConfiguration.class);
    assertThat(configuration.getMaxEntries()).isEqualTo(100);
    assertThat(configuration.getEvictionPolicy()).isEqualTo(EvictionPolicy.LFU);
    assertThat(configuration.isStatisticsEnabled()).as("from defaults").isTrue();
    assertThat(manager.getCache("sessions")).isNotNull();
  }

  @Test
  void createCacheOfADeclaredNameThrowsAndOtherNamesWork() {
    CacheManager manager = open(ConfigurationFiles.write(dir, "ringstore.yaml", ORDERS));

    assertThatThrownBy(() -> manager.createCache("orders", new MutableConfiguration<>()))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("'orders' already exists");
    assertThat(manager.createCache("other", new MutableConfiguration<>())).isNotNull();
  }

  @Test
  void destroyedDeclaredCacheComesBackOnlyWithANewManager() {
    URI uri = ConfigurationFiles.write(dir, "ringstore.yaml", ORDERS);
    CacheManager manager = open(uri);

    manager.destroyCache("orders");
    assertThat(manager.getCache("orders")).isNull();
    assertThat(open(uri)).isSameAs(manager);
    manager.close();

    CacheManager next = open(uri);
    assertThat(next).isNotSameAs(manager);
    assertThat(next.getCache("orders", String.class, Long.class)).isNotNull();
  }

  @Test
  void sameUriAndLoaderGiveTheSameManagerAndTheFileIsReadAgainAfterClose() {
    URI uri = ConfigurationFiles.write(dir, "ringstore.yaml", "caches: {a: {max-entries: 1}}\n");
    CacheManager first = open(uri);
    ConfigurationFiles.write(dir, "ringstore.yaml", "caches: {b: {}}\n");

    assertThat(open(uri)).isSameAs(first);
    assertThat(first.getCacheNames()).containsExactly("a");
    first.close();
    assertThat(open(uri).getCacheNames()).containsExactly("b");
  }

  @Test
  void propertiesAreKeptAndHonoured() {
    URI uri = ConfigurationFiles.write(dir, "ringstore.yaml", ORDERS);
    Properties properties = new Properties();
    properties.setProperty(RingstoreCacheManager.NODE_ID_PROPERTY, "node-from-properties");
    properties.setProperty("app.setting", "kept");

    CacheManager manager = open(uri, loader, properties);

    assertThat(manager.getProperties()).isSameAs(properties);
    assertThat(manager.getProperties().getProperty("app.setting")).isEqualTo("kept");
    assertThat(manager.unwrap(RingstoreNode.class).nodeId()).contains("node-from-properties");
  }

  @Test
  void nullUriIsTheDefaultManagerWithoutAFile() {
    CacheManager manager = open(null, loader, null);

    assertThat(manager.getURI()).isEqualTo(URI.create(RingstoreCachingProvider.DEFAULT_URI_TEXT));
    assertThat(manager.getProperties()).isEmpty();
    assertThat(manager).isSameAs(provider.getCacheManager());
  }

  @Test
  void classpathUriReadsAResourceOfTheManagersClassLoader() throws Exception {
    Path classes = dir.resolve("classes");
    ConfigurationFiles.write(classes, "config/ringstore.yaml", ORDERS);
    URLClassLoader application = loaderOver(classes);

    CacheManager manager = open(URI.create("classpath:config/ringstore.yaml"), application, new Properties());
    CacheManager slash = open(URI.create("classpath:/config/ringstore.yaml"), application, new Properties());

    assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("orders", "sessions");
    assertThat(slash.getCacheNames()).containsExactlyInAnyOrder("orders", "sessions");
    assertThat(manager.getClassLoader()).isSameAs(application);
    assertThatThrownBy(() -> provider.getCacheManager(URI.create("classpath:config/ringstore.yaml"), loader, new Properties()))
        .as("another class loader does not see the resource")
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("no classpath resource 'config/ringstore.yaml'");
  }

  @Test
  void classpathResourceInsideAJarNamesTheJarInErrors() throws Exception {
    Path jar = ConfigurationFiles.jar(dir.resolve("app.jar"), Map.of("ringstore.yaml", "caches:\n  c: {max-entries: 0}\n"));
    URLClassLoader application = loaderOver(jar);

    assertThatThrownBy(() -> provider.getCacheManager(URI.create("classpath:ringstore.yaml"), application, new Properties()))
        .isInstanceOf(ConfigurationFileException.class)
        .hasMessage("classpath:ringstore.yaml (jar:" + jar.toUri().toURL() + "!/ringstore.yaml) line 2, column 20:"
            + " caches.c.max-entries = 0 is out of range; need >= 1");
  }

  @Test
  void jarFileUriReadsAnEntryOfAJar() {
    Path jar = ConfigurationFiles.jar(dir.resolve("config.jar"), Map.of("META-INF/ringstore/ringstore.yaml", ORDERS));
    URI uri = ConfigurationFiles.jarEntry(jar, "META-INF/ringstore/ringstore.yaml");

    CacheManager manager = open(uri);

    assertThat(manager.getURI().toString()).startsWith("jar:file:").endsWith("!/META-INF/ringstore/ringstore.yaml");
    assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("orders", "sessions");
  }

  @Test
  void springBootNestedJarUrisAreOpenedThroughToUrl() {
    Path fatJar = ConfigurationFiles.fatJar(dir, ORDERS);
    URI classes = ConfigurationFiles.nested(fatJar, "BOOT-INF/classes/", "ringstore.yaml");
    URI library = ConfigurationFiles.nested(fatJar, "BOOT-INF/lib/config.jar", "ringstore.yaml");

    assertThat(classes.toString()).startsWith("jar:nested:/").endsWith("/app.jar/!BOOT-INF/classes/!/ringstore.yaml");
    assertThat(open(classes).getCacheNames()).containsExactlyInAnyOrder("orders", "sessions");
    assertThat(open(library).getCacheNames()).containsExactlyInAnyOrder("orders", "sessions");
  }

  @Test
  void missingJarEntryAndMissingFileNameTheUri() {
    Path jar = ConfigurationFiles.jar(dir.resolve("config.jar"), Map.of("other.yaml", ORDERS));
    URI entry = ConfigurationFiles.jarEntry(jar, "ringstore.yaml");
    URI file = dir.resolve("absent.yaml").toUri();

    assertThatThrownBy(() -> provider.getCacheManager(entry, loader, new Properties()))
        .isInstanceOf(CacheException.class)
        .hasMessageStartingWith(entry + ": cannot read the configuration file: java.io.FileNotFoundException");
    assertThatThrownBy(() -> provider.getCacheManager(file, loader, new Properties()))
        .isInstanceOf(CacheException.class)
        .hasMessageStartingWith(file + ": cannot read the configuration file: java.io.FileNotFoundException");
  }

  @Test
  void anInvalidFileMakesNoManagerAndTheFixedFileOpens() {
    URI uri = ConfigurationFiles.write(dir, "ringstore.yaml", "caches:\n  orders:\n    evictoin: LRU\n");

    assertThatThrownBy(() -> provider.getCacheManager(uri, loader, new Properties()))
        .isInstanceOf(CacheException.class)
        .hasMessageStartingWith(uri + " line 3, column 5: unknown key 'caches.orders.evictoin' (did you mean 'eviction'?)");

    ConfigurationFiles.write(dir, "ringstore.yaml", "caches:\n  orders:\n    eviction: LRU\n");
    assertThat(open(uri).getCacheNames()).containsExactly("orders");
  }

  @Test
  void aDeclaredCacheThatCannotBeCreatedNamesTheFileAndItsLine() {
    URI uri = ConfigurationFiles.write(dir, "ringstore.yaml", "caches:\n  fine: {}\n  broken:\n    engine: no-such-engine\n");

    assertThatThrownBy(() -> provider.getCacheManager(uri, loader, new Properties()))
        .isInstanceOf(ConfigurationFileException.class)
        .hasMessageStartingWith(uri + " line 3, column 3: cache 'broken' declared here cannot be created: ")
        .hasMessageContaining("no-such-engine");
  }
}
