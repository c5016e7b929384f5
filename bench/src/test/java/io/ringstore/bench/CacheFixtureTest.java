package io.ringstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.cache.Cache;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each provider on the class path, by class name, in each configuration: the fixture fills it,
 * and the operations the benchmarks call return what they should. Behaviour only, no timing.
 */
class CacheFixtureTest {
  private static final long SEED = Long.getLong("ringstore.seed", Workload.DEFAULT_SEED);
  private static final Workload WORKLOAD = Workload.generate(SEED, 2_000, 100, 1 << 12, 100, 8);

  static Stream<Arguments> providersAndModes() {
    return Stream.of(Provider.values())
        .flatMap(p -> Stream.of(StoreMode.values()).map(m -> Arguments.of(p, m)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("providersAndModes")
  void benchmarkOperationsBehaveOnEveryProvider(Provider provider, StoreMode mode) {
    assumeTrue(provider.availableIn(getClass().getClassLoader()),
        () -> provider.className() + " is not on the class path");
    System.out.println("CacheFixtureTest seed = " + SEED + ", " + provider + " " + mode);
    try (CacheFixture fixture = CacheFixture.open(provider, mode, WORKLOAD)) {
      Cache<String, String> cache = fixture.cache();
      int hot = WORKLOAD.keyIndexAt(0);
      assertThat(cache.get(WORKLOAD.key(hot))).isEqualTo(WORKLOAD.value(hot));

      cache.put(WORKLOAD.key(hot), WORKLOAD.value(hot));
      assertThat(cache.get(WORKLOAD.key(hot))).isEqualTo(WORKLOAD.value(hot));

      assertThat(cache.putIfAbsent(WORKLOAD.key(hot), "other")).isFalse();
      assertThat(cache.get(WORKLOAD.key(hot))).isEqualTo(WORKLOAD.value(hot));

      Set<String> keys = WORKLOAD.keySetAt(0);
      Map<String, String> all = cache.getAll(keys);
      assertThat(all).hasSize(100).containsOnlyKeys(keys);
      all.forEach((k, v) -> assertThat(v).hasSize(100));
    }
  }
}
