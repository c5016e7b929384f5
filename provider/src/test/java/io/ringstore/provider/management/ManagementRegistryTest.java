package io.ringstore.provider.management;

import io.ringstore.provider.testing.StubCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManagementRegistryTest {

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final Cache<Long, String> cache =
      StubCache.named("ringstore://node-1:7000/default", "orders");

  @AfterEach
  void cleanUp() {
    ManagementRegistry.unregister(cache, ManagementRegistry.Kind.CONFIGURATION);
    ManagementRegistry.unregister(cache, ManagementRegistry.Kind.STATISTICS);
  }

  /** How the TCK's TestSupport.calculateObjectName builds the name it looks the bean up by. */
  private static ObjectName tckName(Cache<?, ?> cache, String type) throws Exception {
    return new ObjectName("javax.cache:type=" + type
        + ",CacheManager=" + tckSafe(cache.getCacheManager().getURI().toString())
        + ",Cache=" + tckSafe(cache.getName()));
  }

  private static String tckSafe(String value) {
    return value == null ? "" : value.replaceAll(":|=|\n|,", ".");
  }

  @Test
  void namesMatchTheTcksLookupNames() throws Exception {
    assertThat(ManagementRegistry.objectName(cache, ManagementRegistry.Kind.CONFIGURATION))
        .isEqualTo(tckName(cache, "CacheConfiguration"));
    assertThat(ManagementRegistry.objectName(cache, ManagementRegistry.Kind.STATISTICS))
        .isEqualTo(tckName(cache, "CacheStatistics"));
    assertThat(ManagementRegistry.objectName(cache, ManagementRegistry.Kind.STATISTICS).toString())
        .isEqualTo("javax.cache:type=CacheStatistics,CacheManager=ringstore.//node-1.7000/default,Cache=orders");
  }

  @Test
  void forbiddenCharactersBecomeDotsAsInTheTck() throws Exception {
    Cache<Long, String> odd = StubCache.named("urn:x=y", "a:b=c,d\ne");
    ObjectName name = ManagementRegistry.objectName(odd, ManagementRegistry.Kind.STATISTICS);

    assertThat(name).isEqualTo(tckName(odd, "CacheStatistics"));
    assertThat(name.getKeyProperty("Cache")).isEqualTo("a.b.c.d.e");
    assertThat(name.getKeyProperty("CacheManager")).isEqualTo("urn.x.y");
  }

  @Test
  void patternCharactersAreQuotedSoTheNameIsNoPattern() {
    Cache<Long, String> odd = StubCache.named("ringstore://default", "what?*\"");
    ObjectName name = ManagementRegistry.objectName(odd, ManagementRegistry.Kind.CONFIGURATION);

    assertThat(name.isPattern()).isFalse();
    assertThat(ObjectName.unquote(name.getKeyProperty("Cache"))).isEqualTo("what?*\"");
  }

  @Test
  void registerAndUnregisterAreIdempotentAndBeansAreReadableOverJmx() throws Exception {
    CacheStatistics statistics = new CacheStatistics();
    statistics.recordHits(3);
    MutableConfiguration<Long, String> configuration =
        new MutableConfiguration<Long, String>().setTypes(Long.class, String.class);

    ManagementRegistry.register(cache, ManagementRegistry.Kind.STATISTICS, statistics);
    ManagementRegistry.register(cache, ManagementRegistry.Kind.STATISTICS, new CacheStatistics());
    ManagementRegistry.register(cache, ManagementRegistry.Kind.CONFIGURATION,
        new CacheConfigurationBean(configuration));

    ObjectName statisticsName = tckName(cache, "CacheStatistics");
    ObjectName configurationName = tckName(cache, "CacheConfiguration");
    assertThat(server.getAttribute(statisticsName, "CacheHits")).as("the first bean stays").isEqualTo(3L);
    assertThat(server.getAttribute(statisticsName, "CacheHitPercentage")).isEqualTo(100f);
    assertThat(server.getAttribute(configurationName, "KeyType")).isEqualTo("java.lang.Long");
    assertThat(server.getAttribute(configurationName, "StatisticsEnabled")).isEqualTo(false);
    assertThat(ManagementRegistry.isRegistered(cache, ManagementRegistry.Kind.STATISTICS)).isTrue();

    server.invoke(statisticsName, "clear", new Object[0], new String[0]);
    assertThat(statistics.getCacheHits()).isZero();

    ManagementRegistry.unregister(cache, ManagementRegistry.Kind.STATISTICS);
    ManagementRegistry.unregister(cache, ManagementRegistry.Kind.STATISTICS);
    assertThat(server.isRegistered(statisticsName)).isFalse();
    assertThat(server.isRegistered(configurationName)).isTrue();
  }

  @Test
  void aBeanTheServerRefusesGivesACacheExceptionNamingTheObjectName() {
    assertThatThrownBy(() ->
        ManagementRegistry.register(cache, ManagementRegistry.Kind.STATISTICS, new Object()))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("javax.cache:type=CacheStatistics");
  }
}
