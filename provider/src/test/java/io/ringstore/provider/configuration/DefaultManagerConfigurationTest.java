package io.ringstore.provider.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.RingstoreCachingProvider;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system property {@value RingstoreCachingProvider#CONFIGURATION_PROPERTY} names the default
 * manager's configuration file: its declared caches, its node and its {@code defaults} (which also
 * apply to caches created in code from a plain {@link MutableConfiguration}). Other URIs ignore
 * it; a property that is not a URI, or names no file, fails {@code getCacheManager} naming it.
 *
 * <p>Each test uses its own provider and class loader, and restores the property afterwards.
 */
class DefaultManagerConfigurationTest {
  private static final String PROPERTY = RingstoreCachingProvider.CONFIGURATION_PROPERTY;

  @TempDir
  Path dir;

  private final RingstoreCachingProvider provider = new RingstoreCachingProvider();
  private final ClassLoader loader = new URLClassLoader(new URL[0], DefaultManagerConfigurationTest.class.getClassLoader());
  private final String before = System.getProperty(PROPERTY);

  @AfterEach
  void restore() {
    provider.close();
    if (before == null) {
      System.clearProperty(PROPERTY);
    } else {
      System.setProperty(PROPERTY, before);
    }
  }

  private CacheManager defaultManager() {
    return provider.getCacheManager(null, loader, new Properties());
  }

  @Test
  void theDefaultManagerReadsTheFileThePropertyNames() {
    URI file = ConfigurationFiles.write(dir, "default.yaml", """
        node:
          id: from-the-property
        defaults:
          max-entries: 500
          read-timeout: 2s
          replication: {n: 2, w: 1, r: 1}
        caches:
          declared: {}
        """);
    System.setProperty(PROPERTY, file.toString());

    CacheManager manager = defaultManager();
    assertThat(manager.getURI()).isEqualTo(URI.create(RingstoreCachingProvider.DEFAULT_URI_TEXT));
    assertThat(manager.unwrap(RingstoreNode.class).nodeId()).isEqualTo("from-the-property");
    assertThat(manager.getCacheNames()).containsExactly("declared");
    assertThat(manager.getCache("declared").getConfiguration(RingstoreConfiguration.class).getMaxEntries()).isEqualTo(500);

    Cache<String, String> inCode = manager.createCache("inCode", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setStatisticsEnabled(true));
    @SuppressWarnings("unchecked")
    RingstoreConfiguration<String, String> c = inCode.getConfiguration(RingstoreConfiguration.class);
    assertThat(c.getMaxEntries()).isEqualTo(500);
    assertThat(c.getReadTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(c.getReplicationFactor()).isEqualTo(2);
    assertThat(c.isStatisticsEnabled()).isTrue();

    Cache<String, String> own = manager.createCache("own", new RingstoreConfiguration<String, String>());
    assertThat(own.getConfiguration(RingstoreConfiguration.class).getMaxEntries()).isEqualTo(RingstoreConfiguration.UNBOUNDED);
  }

  @Test
  void otherUrisIgnoreTheProperty() {
    URI file = ConfigurationFiles.write(dir, "default.yaml", """
        defaults: {max-entries: 500}
        caches: {declared: {}}
        """);
    System.setProperty(PROPERTY, file.toString());

    CacheManager named = provider.getCacheManager(URI.create("ringstore:other"), loader, new Properties());

    assertThat(named.getCacheNames()).isEmpty();
    Cache<String, String> cache = named.createCache("c", new MutableConfiguration<String, String>());
    assertThat(cache.getConfiguration(RingstoreConfiguration.class).getMaxEntries()).isEqualTo(RingstoreConfiguration.UNBOUNDED);
  }

  @Test
  void theNextDefaultManagerReadsThePropertyAgain() {
    System.setProperty(PROPERTY, ConfigurationFiles.write(dir, "one.yaml", "caches: {one: {}}\n").toString());
    CacheManager first = defaultManager();
    assertThat(first.getCacheNames()).containsExactly("one");
    first.close();

    System.setProperty(PROPERTY, ConfigurationFiles.write(dir, "two.yaml", "caches: {two: {}}\n").toString());
    assertThat(defaultManager().getCacheNames()).containsExactly("two");
  }

  @Test
  void withoutThePropertyTheDefaultManagerHasNoFile() {
    System.clearProperty(PROPERTY);

    CacheManager manager = defaultManager();

    assertThat(manager.getCacheNames()).isEmpty();
    assertThat(manager.createCache("c", new MutableConfiguration<String, String>()).getConfiguration(RingstoreConfiguration.class)
        .getReplicationFactor()).isEqualTo(1);
  }

  @Test
  void aPropertyThatIsNotAUriOrNamesNoFileFailsNamingIt() {
    System.setProperty(PROPERTY, "file:/etc/ring store.yaml");
    assertThatThrownBy(this::defaultManager).isInstanceOf(CacheException.class)
        .hasMessageContaining("system property ringstore.configuration = 'file:/etc/ring store.yaml' is not a URI");

    System.setProperty(PROPERTY, "ringstore:elsewhere");
    assertThatThrownBy(this::defaultManager).isInstanceOf(CacheException.class)
        .hasMessageContaining("system property ringstore.configuration = 'ringstore:elsewhere' names no configuration file");

    URI missing = dir.resolve("absent.yaml").toUri();
    System.setProperty(PROPERTY, missing.toString());
    assertThatThrownBy(this::defaultManager).isInstanceOf(ConfigurationFileException.class)
        .hasMessageStartingWith(missing.toString()).hasMessageContaining("cannot read the configuration file");
  }
}
