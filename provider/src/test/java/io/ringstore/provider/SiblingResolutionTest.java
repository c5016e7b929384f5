package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Dot;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.SiblingResolver;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a cache turns concurrent values (siblings) into one: last-write-wins by default, counting
 * what it discards, or the resolver its configuration names. A single node never makes siblings,
 * so the records here are built by hand, as replicas would hold them.
 */
class SiblingResolutionTest {
  private final RingstoreCacheManager manager = TestManagers.create();

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private static StoredRecord twoSiblings(KeyspaceCache<String, String> cache, String first, long firstTimestamp, String second,
      long secondTimestamp, String secondWriter) {
    VectorClock clock = VectorClock.of(Map.of("node-a", 1L, secondWriter, 1L));
    return StoredRecord.of(clock, List.of(
        new Sibling(new Dot("node-a", 1), firstTimestamp, cache.codec.encodeValue(first)),
        new Sibling(new Dot(secondWriter, 1), secondTimestamp, cache.codec.encodeValue(second))), StoredRecord.NEVER);
  }

  @SuppressWarnings("unchecked")
  private KeyspaceCache<String, String> cache(RingstoreConfiguration<String, String> configuration) {
    return (KeyspaceCache<String, String>) manager.createCache("carts", configuration).unwrap(RingstoreCache.class);
  }

  @Test
  void theDefaultResolverIsLastWriteWinsAndCountsWhatItDiscards() {
    assertThat(new RingstoreConfiguration<String, String>().getSiblingResolverFactory()).isNull();
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<>());
    assertThat(cache.values.valueOf(twoSiblings(cache, "older", 100, "newer", 200, "node-b"))).isEqualTo("newer");
    assertThat(cache.values.valueOf(twoSiblings(cache, "newer", 300, "older", 200, "node-b"))).isEqualTo("newer");
    assertThat(cache.getDiscardedSiblings()).isEqualTo(2);
  }

  @Test
  void timestampTiesGoToTheGreaterWriter() {
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<>());
    assertThat(cache.values.valueOf(twoSiblings(cache, "from a", 100, "from z", 100, "node-z"))).isEqualTo("from z");
  }

  @Test
  void aConfiguredResolverDecides() {
    SiblingResolver<String> merge = versions -> versions.stream()
        .map(SiblingResolver.Version::value)
        .sorted(Comparator.naturalOrder())
        .collect(Collectors.joining("+"));
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<String, String>().setSiblingResolver(merge));
    assertThat(cache.values.valueOf(twoSiblings(cache, "milk", 100, "eggs", 200, "node-b"))).isEqualTo("eggs+milk");
    assertThat(cache.getDiscardedSiblings()).isEqualTo(1);
  }

  @Test
  void versionsShowWhatTheReplicasHold() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<>());
    assertThat(cache.getVersions("k")).isEmpty();
    cache.put("k", "v");
    List<SiblingResolver.Version<String>> versions = cache.getVersions("k");
    assertThat(versions).hasSize(1);
    assertThat(versions.get(0).value()).isEqualTo("v");
    assertThat(versions.get(0).writer()).isEqualTo(manager.node().nodeId());
  }

  @Test
  void aRecordWithOneSiblingNeedsNoResolution() {
    KeyspaceCache<String, String> cache = cache(new RingstoreConfiguration<>());
    Bytes value = cache.codec.encodeValue("only");
    StoredRecord record = StoredRecord.of(VectorClock.of(Map.of("node-a", 1L)), List.of(new Sibling(new Dot("node-a", 1), 1, value)),
        StoredRecord.NEVER);
    assertThat(cache.values.valueOf(record)).isEqualTo("only");
    assertThat(cache.getDiscardedSiblings()).isZero();
  }
}
