package io.ringstore.provider.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.EvictionPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's {@code defaults} section for caches created in code: a configuration that is not a
 * {@link RingstoreConfiguration} (a plain {@link MutableConfiguration}) takes its Ringstore
 * settings from it and keeps its own JCache settings; a {@code RingstoreConfiguration} keeps its
 * own; store-by-reference keeps N = W = R = 1.
 */
class CodeCacheDefaultsTest {
  private static final ClassLoader LOADER = CodeCacheDefaultsTest.class.getClassLoader();

  @TempDir
  Path dir;

  private RingstoreConfiguration<Object, Object> defaultsOf(String yaml) {
    URI uri = ConfigurationFiles.write(dir, "ringstore.yaml", yaml);
    return ConfigurationFile.forUri(uri, LOADER).orElseThrow().defaults();
  }

  private static final String DEFAULTS = """
      defaults:
        statistics: true
        management: true
        expiry: {policy: created, duration: 10m}
        engine-options: {segments: 4}
        max-entries: 1000
        eviction: LFU
        replication: {n: 3, w: 2, r: 2}
        read-timeout: 700ms
        write-timeout: 900ms
        max-siblings: 4
        max-clock-entries: 8
        sibling-resolver: io.ringstore.provider.configuration.MergingResolver
        max-key-bytes: 1KiB
        max-value-bytes: 2MiB
        deserialization-filter: "java.util.*"
      caches: {}
      """;

  @Test
  void aPlainConfigurationTakesTheRingstoreSettingsOfDefaultsAndKeepsItsJCacheSettings() {
    RingstoreConfiguration<Object, Object> defaults = defaultsOf(DEFAULTS);
    MutableConfiguration<String, String> plain = new MutableConfiguration<String, String>().setTypes(String.class, String.class);

    RingstoreConfiguration<String, String> c = CacheSettings.validatedCopy("orders", plain, defaults);

    assertThat(c.getReplicationFactor()).isEqualTo(3);
    assertThat(c.getWriteQuorum()).isEqualTo(2);
    assertThat(c.getReadQuorum()).isEqualTo(2);
    assertThat(c.getEngineOptions()).containsEntry("segments", "4");
    assertThat(c.getMaxEntries()).isEqualTo(1000);
    assertThat(c.getEvictionPolicy()).isEqualTo(EvictionPolicy.LFU);
    assertThat(c.getReadTimeout()).isEqualTo(Duration.ofMillis(700));
    assertThat(c.getWriteTimeout()).isEqualTo(Duration.ofMillis(900));
    assertThat(c.getMaxSiblings()).isEqualTo(4);
    assertThat(c.getMaxClockEntries()).isEqualTo(8);
    assertThat(c.getSiblingResolverFactory().create()).isInstanceOf(MergingResolver.class);
    assertThat(c.getMaxKeyBytes()).isEqualTo(1024);
    assertThat(c.getMaxValueBytes()).isEqualTo(2 * 1024 * 1024);
    assertThat(c.getDeserializationFilter()).isEqualTo("java.util.*");
    // the JCache settings are the given configuration's, not those of defaults
    assertThat(c.getKeyType()).isEqualTo(String.class);
    assertThat(c.isStatisticsEnabled()).isFalse();
    assertThat(c.isManagementEnabled()).isFalse();
    assertThat(c.getExpiryPolicyFactory().create()).isInstanceOf(EternalExpiryPolicy.class);
  }

  @Test
  void aRingstoreConfigurationKeepsItsOwnSettings() {
    RingstoreConfiguration<Object, Object> defaults = defaultsOf(DEFAULTS);
    RingstoreConfiguration<String, String> own = new RingstoreConfiguration<String, String>().setReplication(2, 1, 1).setMaxEntries(5);

    RingstoreConfiguration<String, String> c = CacheSettings.validatedCopy("orders", own, defaults);

    assertThat(c.getReplicationFactor()).isEqualTo(2);
    assertThat(c.getWriteQuorum()).isEqualTo(1);
    assertThat(c.getMaxEntries()).isEqualTo(5);
    assertThat(c.getReadTimeout()).isEqualTo(RingstoreConfiguration.DEFAULT_TIMEOUT);
  }

  @Test
  void aStoreByReferenceConfigurationKeepsNOneButTakesTheOtherDefaults() {
    RingstoreConfiguration<Object, Object> defaults = defaultsOf(DEFAULTS);
    MutableConfiguration<String, String> byReference = new MutableConfiguration<String, String>().setStoreByValue(false);

    RingstoreConfiguration<String, String> c = CacheSettings.validatedCopy("refs", byReference, defaults);

    assertThat(c.isStoreByValue()).isFalse();
    assertThat(c.getReplicationFactor()).isEqualTo(1);
    assertThat(c.getWriteQuorum()).isEqualTo(1);
    assertThat(c.getReadQuorum()).isEqualTo(1);
    assertThat(c.getMaxEntries()).isEqualTo(1000);
  }

  @Test
  void withoutADefaultsSectionAPlainConfigurationHasTheBuiltInDefaults() {
    RingstoreConfiguration<Object, Object> defaults = defaultsOf("caches: {a: {}}\n");
    MutableConfiguration<String, String> plain = new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 5)));

    RingstoreConfiguration<String, String> c = CacheSettings.validatedCopy("plain", plain, defaults);

    assertThat(c.getReplicationFactor()).isEqualTo(1);
    assertThat(c.getMaxEntries()).isEqualTo(RingstoreConfiguration.UNBOUNDED);
    assertThat(c.getStorageEngine()).isEqualTo(RingstoreConfiguration.DEFAULT_STORAGE_ENGINE);
    assertThat(c.getExpiryPolicyFactory().create()).isInstanceOf(CreatedExpiryPolicy.class);
  }

  @Test
  void theDefaultsAreACopy() {
    ConfigurationFile file = ConfigurationFile.forUri(ConfigurationFiles.write(dir, "ringstore.yaml", DEFAULTS), LOADER).orElseThrow();
    file.defaults().setReplication(1, 1, 1);

    assertThat(file.defaults().getReplicationFactor()).isEqualTo(3);
  }

  @Test
  void aBlankEngineFromDefaultsFailsCreateCacheNamingIt() {
    RingstoreConfiguration<Object, Object> defaults = defaultsOf("""
        defaults: {read-timeout: 1s}
        caches: {}
        """);
    defaults.setStorageEngine(" ");

    assertThatThrownBy(() -> CacheSettings.validatedCopy("blank", new MutableConfiguration<String, String>(), defaults))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache 'blank': storageEngine = ' ' is blank");
  }
}
