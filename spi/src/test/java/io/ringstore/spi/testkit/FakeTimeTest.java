package io.ringstore.spi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake time tests run on: both clocks move together, in steps of any size, and due tasks run in order. */
class FakeTimeTest {

  @Test
  void manyStepsShorterThanAMillisecondMoveTheWallClockAsMuchAsOneLongStep() {
    FakeTime time = new FakeTime(Instant.parse("2030-01-01T00:00:00Z"));
    long startMillis = time.millis();
    long startNanos = time.nanos();
    for (int i = 0; i < 1000; i++) {
      time.advance(Duration.ofNanos(300_000));
    }
    assertThat(time.nanos() - startNanos).isEqualTo(300_000_000L);
    assertThat(time.millis() - startMillis).isEqualTo(300);
  }

  @Test
  void aWallClockStepLeavesTheTickerAndMovesOnFromTheNewTime() {
    FakeTime time = new FakeTime();
    long nanos = time.nanos();
    time.setWallClock(Instant.parse("2031-06-01T00:00:00Z"));
    assertThat(time.nanos()).isEqualTo(nanos);
    time.advance(Duration.ofMillis(1500));
    assertThat(time.millis()).isEqualTo(Instant.parse("2031-06-01T00:00:01.500Z").toEpochMilli());
  }

  @Test
  void dueTasksRunInTimeOrderThenInTheOrderTheyWereScheduled() {
    FakeTime time = new FakeTime();
    List<String> ran = new ArrayList<>();
    time.schedule(() -> ran.add("b"), Duration.ofMillis(2));
    time.schedule(() -> ran.add("a"), Duration.ofMillis(1));
    time.schedule(() -> ran.add("c"), Duration.ofMillis(2));
    time.schedule(() -> ran.add("late"), Duration.ofMillis(10)).cancel();
    time.advance(Duration.ofMillis(20));
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(time.pendingTasks()).isZero();
  }
}
