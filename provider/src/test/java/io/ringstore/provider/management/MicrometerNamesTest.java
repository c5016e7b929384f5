package io.ringstore.provider.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.RingstoreCachingProvider;
import io.ringstore.provider.configuration.ConfigurationFiles;
import io.ringstore.provider.testing.StubCache;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MXBeans of a cache whose manager is opened on a configuration file are found under exactly
 * the name Micrometer's {@code JCacheMetrics} builds, so its cache meters read our statistics
 * (Micrometer reads 0, silently, when no bean has the name).
 */
class MicrometerNamesTest {
  private static final String FILE = """
      caches:
        squares:
          statistics: true
          management: true
      """;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @TempDir
  Path dir;

  /** As Micrometer 1.15's {@code JCacheMetrics} builds the name it reads statistics from. */
  private static ObjectName micrometerName(Cache<?, ?> cache, String type) throws Exception {
    URI uri = cache.getCacheManager().getURI();
    return new ObjectName("javax.cache:type=" + type + ",CacheManager=" + uri.toString().replace(':', '.')
        + ",Cache=" + cache.getName());
  }

  private void assertMicrometerReadsTheStatistics(URI uri) throws Exception {
    CacheManager manager = Caching.getCachingProvider(RingstoreCachingProvider.class.getName())
        .getCacheManager(uri, getClass().getClassLoader(), new Properties());
    try {
      Cache<Object, Object> cache = manager.getCache("squares");
      cache.put(2, 4);
      cache.get(2);
      cache.get(2);
      cache.get(3);

      ObjectName statistics = micrometerName(cache, "CacheStatistics");
      assertThat(server.isRegistered(statistics)).as("%s is registered", statistics).isTrue();
      assertThat(server.getAttribute(statistics, "CacheHits")).isEqualTo(2L);
      assertThat(server.getAttribute(statistics, "CacheMisses")).isEqualTo(1L);
      assertThat(server.getAttribute(statistics, "CachePuts")).isEqualTo(1L);
      ObjectName configuration = micrometerName(cache, "CacheConfiguration");
      assertThat(server.getAttribute(configuration, "StatisticsEnabled")).isEqualTo(true);
      assertThat(ManagementRegistry.objectName(cache, ManagementRegistry.Kind.STATISTICS)).isEqualTo(statistics);
    } finally {
      manager.close();
    }
  }

  @Test
  void fileUriWithAPath() throws Exception {
    URI uri = ConfigurationFiles.write(dir, "app config/conf.d/ringstore.yaml", FILE);
    assertThat(uri.toString()).startsWith("file:///").contains("/app%20config/conf.d/");

    assertMicrometerReadsTheStatistics(uri);
  }

  @Test
  void jarFileUri() throws Exception {
    Path jar = ConfigurationFiles.jar(dir.resolve("app-1.0.jar"), Map.of("BOOT-INF/classes/x.yaml", FILE));

    assertMicrometerReadsTheStatistics(ConfigurationFiles.jarEntry(jar, "BOOT-INF/classes/x.yaml"));
  }

  @Test
  void springBootNestedJarUri() throws Exception {
    Path fatJar = ConfigurationFiles.fatJar(dir, FILE);

    assertMicrometerReadsTheStatistics(ConfigurationFiles.nested(fatJar, "BOOT-INF/classes/", "ringstore.yaml"));
  }

  @Test
  void namesAsMicrometerBuildsThemForSpringBootsNestedJarUriAndABackslash() throws Exception {
    Cache<Long, String> nested = StubCache.named(
        "jar:nested:/srv/app/boot-1.jar/!BOOT-INF/classes/!/ringstore.yaml", "com.example.Book\\tags");

    assertThat(ManagementRegistry.objectName(nested, ManagementRegistry.Kind.STATISTICS))
        .isEqualTo(micrometerName(nested, "CacheStatistics"));
    assertThat(ManagementRegistry.objectName(nested, ManagementRegistry.Kind.CONFIGURATION).toString())
        .isEqualTo("javax.cache:type=CacheConfiguration,CacheManager=jar.nested./srv/app/boot-1.jar/!BOOT-INF/classes/!/ringstore.yaml,"
            + "Cache=com.example.Book\\tags");
  }
}
