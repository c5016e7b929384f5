package io.ringstore.cluster.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.testkit.FakeTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The small parts of repair: the token bucket, the tree cache, the settings' checks and the report. */
class RepairPartsTest {

  @Test
  void theBucketLetsASecondsWorthThroughAndThenPacesTakers() {
    FakeTime time = new FakeTime();
    TokenBucket bucket = new TokenBucket(time, 100);
    assertThat(bucket.take(100)).isZero();
    assertThat(bucket.take(10)).isEqualTo(100_000_001L); // 10 tokens at 100 a second: 0.1 s
    time.advance(Duration.ofMillis(100));
    assertThat(bucket.take(1)).isEqualTo(10_000_001L);
    time.advance(Duration.ofSeconds(5)); // at most one second saved up
    assertThat(bucket.take(100)).isZero();
    assertThat(bucket.take(1)).isPositive();
    assertThatThrownBy(() -> new TokenBucket(time, 0)).hasMessage("rate = 0 a second is out of range; need 1 to 1000000000");
  }

  @Test
  void theCacheKeepsATreeForItsExchangeUntilReleasedIdleOrCrowdedOut() {
    FakeTime time = new FakeTime();
    TreeCache cache = new TreeCache(time, 2, Duration.ofSeconds(60));
    AtomicInteger builds = new AtomicInteger();
    TreeCache.Key one = new TreeCache.Key("ks", "n1", 1, TokenRanges.ALL, 4);
    TreeCache.Key two = new TreeCache.Key("ks", "n1", 2, TokenRanges.ALL, 4);
    TreeCache.Key three = new TreeCache.Key("ks", "n2", 1, TokenRanges.ALL, 4);
    java.util.function.Supplier<MerkleTree> build = () -> {
      builds.incrementAndGet();
      return MerkleTree.builder(TokenRanges.ALL, 4).build();
    };
    cache.get(one, build);
    cache.get(one, build);
    assertThat(builds).hasValue(1);
    cache.get(two, build);
    cache.get(one, build); // one is now the most recently used
    cache.get(three, build); // crowds out two
    assertThat(cache.peek(two)).isNull();
    assertThat(cache.peek(one)).isNotNull();
    cache.release("ks", "n1", 1);
    assertThat(cache.peek(one)).isNull();
    time.advance(Duration.ofSeconds(60));
    assertThat(cache.size()).isZero();
  }

  @Test
  void settingsNameTheSettingTheValueAndTheBound() {
    RepairSettings d = RepairSettings.defaults();
    assertThatThrownBy(() -> d.withDepth(17)).hasMessage("repair depth = 17 is out of range; need 1 <= depth <= 16");
    assertThatThrownBy(() -> d.withDepth(0)).hasMessage("repair depth = 0 is out of range; need 1 <= depth <= 16");
    assertThatThrownBy(() -> d.withMaxRecordsPerSecond(0))
        .hasMessage("repair maxRecordsPerSecond = 0 is out of range; need 1 <= maxRecordsPerSecond <= 1000000000");
    assertThatThrownBy(() -> new RepairSettings(Duration.ZERO, 10, 1, 1, 1, Duration.ofSeconds(1)))
        .hasMessage("repair interval = PT0S is out of range; need > 0");
    assertThatThrownBy(() -> new RepairSettings(Duration.ofMinutes(1), 10, 1, 0, 1, Duration.ofSeconds(1)))
        .hasMessage("repair maxBytesInFlight = 0 is out of range; need >= 1");
    assertThatThrownBy(() -> new RepairSettings(Duration.ofMinutes(1), 10, 1, 1, 513, Duration.ofSeconds(1)))
        .hasMessage("repair maxRecordsPerBatch = 513 is out of range; need 1 <= maxRecordsPerBatch <= 512");
    assertThatThrownBy(() -> new RepairSettings(Duration.ofMinutes(1), 10, 1, 1, 1, Duration.ZERO))
        .hasMessage("repair requestTimeout = PT0S is out of range; need >= 1 ms");
  }

  @Test
  void aReportSaysWhatHappenedInOneLine() {
    RepairReport report = new RepairReport("users", "n2", 3, 1024, 2, 5, 4, 3, false, Duration.ofMillis(12), List.of());
    assertThat(report).hasToString("repair of cache 'users' with n2: 3 ranges, 2 of 1024 leaves differ, 5 keys differ, "
        + "4 pulled, 3 pushed, 12 ms");
    assertThat(report.succeeded()).isTrue();
    assertThat(RepairReport.skipped("c").toString()).contains("skipped (bounded");
  }
}
