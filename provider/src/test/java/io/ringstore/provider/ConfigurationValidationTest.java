package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.EvictionPolicy;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad settings fail createCache with a message naming the setting, the value and the range; no cache is left. */
class ConfigurationValidationTest {
  private final RingstoreCacheManager manager = TestManagers.create();

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private void assertRejected(UnaryOperator<RingstoreConfiguration<String, String>> settings, String... messageParts) {
    RingstoreConfiguration<String, String> configuration = settings.apply(new RingstoreConfiguration<>());
    assertThatThrownBy(() -> manager.createCache("orders", configuration))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll(messageParts)
        .hasMessageContaining("cache 'orders'");
    assertThat(manager.getCache("orders")).isNull();
    assertThat(manager.getCacheNames()).isEmpty();
  }

  @Test
  void writeQuorumAboveReplicationFactor() {
    assertRejected(c -> c.setReplication(3, 4, 1), "W=4 exceeds N=3", "writeQuorum");
  }

  @Test
  void readQuorumAboveReplicationFactor() {
    assertRejected(c -> c.setReplication(2, 1, 3), "R=3 exceeds N=2", "readQuorum");
  }

  @Test
  void quorumsBelowOne() {
    assertRejected(c -> c.setReplication(3, 0, 1), "W=0 is out of range", "writeQuorum must be in 1..replicationFactor");
    assertRejected(c -> c.setReplication(3, 1, -1), "R=-1 is out of range", "readQuorum");
  }

  @Test
  void replicationFactorOutOfRange() {
    assertRejected(c -> c.setReplication(0, 1, 1), "N=0 is out of range", "replicationFactor must be in 1..32");
    assertRejected(c -> c.setReplication(33, 1, 1), "N=33 is out of range");
  }

  @Test
  void boundsBelowOne() {
    assertRejected(c -> c.setMaxEntries(0), "maxEntries=0 is out of range", "need >= 1");
    assertRejected(c -> c.setMaxBytes(-5), "maxBytes=-5 is out of range");
  }

  @Test
  void timeoutsMustBePositive() {
    assertRejected(c -> c.setReadTimeout(Duration.ZERO), "readTimeout=PT0S is out of range", "need > 0");
    assertRejected(c -> c.setWriteTimeout(Duration.ofSeconds(-1)), "writeTimeout=PT-1S");
  }

  @Test
  void sizeBoundsOutOfRange() {
    assertRejected(c -> c.setMaxKeyBytes(0), "maxKeyBytes=0 is out of range", "need 1..16777216");
    assertRejected(c -> c.setMaxValueBytes(Integer.MAX_VALUE), "maxValueBytes=2147483647 is out of range", "need 1..1073741824");
    assertRejected(c -> c.setMaxSiblings(0), "maxSiblings=0 is out of range", "need 1..1024");
    assertRejected(c -> c.setMaxClockEntries(5000), "maxClockEntries=5000 is out of range");
  }

  @Test
  void storeByReferenceNeedsOneReplica() {
    assertRejected(c -> c.setStoreByValue(false).setReplication(3, 2, 2), "storeByValue=false", "needs N=1, got N=3");
  }

  @Test
  void deserializationFilterMustParse() {
    assertRejected(c -> c.setDeserializationFilter("maxdepth=abc"), "deserializationFilter = 'maxdepth=abc'",
        "not a valid ObjectInputFilter pattern");
  }

  @Test
  void unknownStorageEngine() {
    assertRejected(c -> c.setStorageEngine("nosuch"), "storageEngine = 'nosuch' is not available", "memory");
  }

  @Test
  void aCacheCanBeCreatedAgainAfterARejectedConfiguration() {
    assertRejected(c -> c.setReplication(1, 2, 1), "W=2 exceeds N=1");
    assertThat(manager.createCache("orders", new RingstoreConfiguration<String, String>().setEvictionPolicy(EvictionPolicy.FIFO)))
        .isNotNull();
  }

  @Test
  void theCacheKeepsItsOwnCopyOfTheConfiguration() {
    RingstoreConfiguration<String, String> configuration = new RingstoreConfiguration<String, String>().setMaxEntries(10);
    @SuppressWarnings("unchecked")
    RingstoreCache<String, String> cache = manager.createCache("orders", configuration).unwrap(RingstoreCache.class);
    configuration.setMaxEntries(20).setStatisticsEnabled(true);
    assertThat(cache.getRingstoreConfiguration().getMaxEntries()).isEqualTo(10);
    assertThat(cache.getRingstoreConfiguration().isStatisticsEnabled()).isFalse();
    assertThat(cache.getRingstoreConfiguration()).isNotSameAs(configuration);
  }
}
