package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.testkit.FakeTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

  @Test
  void timestampsFollowWallTimeAndNeverGoBack() {
    FakeTime time = new FakeTime(Instant.parse("2030-01-01T00:00:00Z"));
    HybridLogicalClock hlc = new HybridLogicalClock(time);
    long first = hlc.now();
    assertThat(HybridLogicalClock.millisOf(first)).isEqualTo(time.millis());
    long second = hlc.now();
    assertThat(second).isGreaterThan(first);

    time.setWallClock(Instant.parse("2029-12-31T23:00:00Z")); // the wall clock steps back an hour
    long third = hlc.now();
    assertThat(third).isGreaterThan(second);

    time.advance(Duration.ofHours(2));
    assertThat(HybridLogicalClock.millisOf(hlc.now())).isEqualTo(time.millis());
  }

  @Test
  void aKeysNextTimestampIsGreaterThanItsLastEvenWhenTheWallClockStepsBack() {
    FakeTime time = new FakeTime(Instant.parse("2030-01-01T00:00:00Z"));
    HybridLogicalClock hlc = new HybridLogicalClock(time);
    long first = hlc.nowAfter(Long.MIN_VALUE);
    assertThat(HybridLogicalClock.millisOf(first)).isEqualTo(time.millis());
    long second = hlc.nowAfter(first); // the same millisecond
    assertThat(second).isGreaterThan(first);

    time.setWallClock(Instant.parse("2029-12-31T23:00:00Z"));
    long third = hlc.nowAfter(second);
    assertThat(third).isEqualTo(second + 1);
    assertThat(hlc.nowAfter(Long.MIN_VALUE)).as("another key, with no history, follows the wall clock")
        .isEqualTo(time.millis() << 16);

    hlc.observe((time.millis() + 60_000) << 16);
    assertThat(hlc.nowAfter(Long.MIN_VALUE)).isGreaterThan((time.millis() + 60_000) << 16);
    long issued = hlc.now();
    assertThat(hlc.nowAfter(Long.MIN_VALUE)).isGreaterThan(issued);
  }

  @Test
  void aTimestampAfterObservingARemoteOneIsGreater() {
    FakeTime time = new FakeTime();
    HybridLogicalClock hlc = new HybridLogicalClock(time);
    long remote = (time.millis() + 60_000) << 16; // a peer whose clock runs a minute ahead
    hlc.observe(remote);
    assertThat(hlc.now()).isGreaterThan(remote);
  }
}
