package io.ringstore.cluster.handoff;

import static io.ringstore.cluster.handoff.HandoffRig.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.StoredRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The replay of hints, two nodes on fake time ({@link HandoffRig}): hints wait while their target
 * is down, reach its replica once it is alive, are deleted once acknowledged, never more than the
 * window in flight nor faster than the byte rate; a failed hand-off keeps the hint for the next
 * look; hints past the age bound are dropped, counted and mark the target for repair.
 */
class HintReplayTest {

  private static HandoffSettings settings() {
    return HandoffSettings.defaults().withReplay(Duration.ofMillis(100), 1 << 20, 4);
  }

  private static void hint(HandoffRig rig, int keys) {
    for (int i = 0; i < keys; i++) {
      rig.hints.add("b", key(i), rig.version(null, "v" + i));
    }
  }

  @Test
  void hintsWaitForTheirTargetThenReachItsReplicaAndAreDeleted() {
    HandoffRig rig = new HandoffRig(settings());
    hint(rig, 50);
    rig.replay.start();
    rig.advance(Duration.ofSeconds(5));
    assertThat(rig.requests).as("nothing is sent to a node judged down").isZero();
    assertThat(rig.hints.counts()).containsEntry("b", 50L);

    rig.bAlive = true;
    rig.advance(Duration.ofSeconds(5));
    for (int i = 0; i < 50; i++) {
      StoredRecord held = rig.b.localRead(key(i), false);
      assertThat(held).as("key %d on b", i).isNotNull();
      assertThat(held.soleValue().asUtf8()).isEqualTo("v" + i);
    }
    assertThat(rig.hints.counts()).isEmpty();
    assertThat(rig.budget.stats()).isEqualTo(new HandoffStats(0, 0, 50, 50, 0, 0));
    assertThat(rig.maxInFlight).as("the replay window").isEqualTo(4);
  }

  @Test
  void aReplaySendsNoFasterThanItsByteRate() {
    HandoffRig rig = new HandoffRig(HandoffSettings.defaults().withReplay(Duration.ofMillis(100), 1024, 64));
    hint(rig, 60);
    long bytes = rig.budget.stats().bytes();
    assertThat(bytes).isGreaterThan(4 * 1024); // more than four seconds' worth at 1 KiB/s
    rig.bAlive = true;
    rig.replay.start();
    rig.advance(Duration.ofSeconds(2));
    long early = rig.budget.stats().handedOff();
    assertThat(early).as("handed off in the first 2 s").isPositive().isLessThan(60);
    assertThat(rig.budget.stats().bytes()).isGreaterThan(bytes - 3 * 1024);
    rig.advance(Duration.ofSeconds(bytes / 1024 + 2));
    assertThat(rig.budget.stats().handedOff()).isEqualTo(60);
  }

  @Test
  void aFailedHandOffKeepsTheHintForTheNextLook() {
    HandoffRig rig = new HandoffRig(settings());
    hint(rig, 10);
    rig.bAlive = true;
    rig.linkCut = true; // judged alive, but the messages do not get through
    rig.replay.start();
    rig.advance(Duration.ofSeconds(1));
    assertThat(rig.requests).isPositive();
    assertThat(rig.hints.counts()).containsEntry("b", 10L);
    rig.linkCut = false;
    rig.advance(Duration.ofSeconds(1));
    assertThat(rig.hints.counts()).isEmpty();
    assertThat(rig.budget.stats().handedOff()).isEqualTo(10);
  }

  @Test
  void hintsPastTheAgeBoundAreDroppedCountedAndMarkTheirTargetForRepair() {
    HandoffRig rig = new HandoffRig(settings().withMaxAge(Duration.ofSeconds(10)));
    hint(rig, 5);
    rig.replay.start();
    rig.advance(Duration.ofSeconds(5));
    assertThat(rig.hints.counts()).containsEntry("b", 5L);
    rig.advance(Duration.ofSeconds(10));
    assertThat(rig.hints.counts()).isEmpty();
    assertThat(rig.budget.stats().expired()).isEqualTo(5);
    assertThat(rig.budget.stats().bytes()).isZero();
    assertThat(rig.hints.repairMarks()).containsExactly("b");
    rig.bAlive = true;
    rig.advance(Duration.ofSeconds(1));
    assertThat(rig.requests).isZero();
  }

  @Test
  void aTargetThatNoLongerHasTheCacheGetsNoHintAndTheCacheIsNotOpenedThereAgain() {
    HandoffRig rig = new HandoffRig(settings());
    hint(rig, 5);
    rig.bAlive = true;
    rig.bDropped = true;
    rig.replay.start();
    rig.advance(Duration.ofSeconds(1));
    assertThat(rig.requests).isPositive();
    assertThat(rig.opens).as("Open requests").isZero();
    assertThat(rig.hints.counts()).isEmpty();
    assertThat(rig.hints.repairMarks()).as("no repair either: it would open the cache").isEmpty();
    assertThat(rig.budget.stats().bytes()).isZero();
  }

  @Test
  void aHintChangedWhileInFlightIsKeptAndSentAgain() {
    HandoffRig rig = new HandoffRig(settings());
    StoredRecord first = rig.version(null, "one");
    rig.hints.add("b", key(0), first);
    rig.bAlive = true;
    rig.replay.start();
    rig.advance(Duration.ofMillis(100 + HandoffRig.LINK_MILLIS / 2)); // the first look sent it; the answer is due
    assertThat(rig.requests).isEqualTo(1);
    StoredRecord second = rig.version(first, "two");
    rig.hints.add("b", key(0), second);
    rig.advance(Duration.ofSeconds(1));
    assertThat(rig.hints.counts()).isEmpty();
    assertThat(rig.b.localRead(key(0), false).soleValue().asUtf8()).isEqualTo("two");
    assertThat(rig.requests).isEqualTo(2);
  }
}
