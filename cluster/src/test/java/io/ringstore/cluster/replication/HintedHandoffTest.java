package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringstore.cluster.handoff.HandoffSettings;
import io.ringstore.cluster.handoff.KeyspaceHints;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hinted handoff on three real nodes in this JVM: while one node is paused (judged down by the
 * others, still on the ring), the primaries of the keys written keep each version it missed as a
 * hint, which never counts toward W; once it is back, the hints reach its own replica (read there
 * directly, so no read repair is involved) and are deleted.
 */
class HintedHandoffTest {
  private static final String PAUSED = "hh-2";
  private static TestNodes cluster;

  @BeforeAll
  static void start() {
    cluster = TestNodes.start("hh", 3, HandoffSettings.defaults().withReplay(Duration.ofMillis(100), 1 << 20, 16));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void writesANodeMissedWhileDownReachItFromHintsOnceItIsBack() {
    List<Coordinator> keyspace = cluster.open("handoff", 3, 2, 2);
    int keys = 40;
    cluster.pause(2, true);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.node(0).isAlive(PAUSED) && !cluster.node(1).isAlive(PAUSED));
      for (int i = 0; i < keys; i++) {
        Bytes value = Bytes.utf8("v" + i);
        StoredRecord stored = keyspace.get(i % 2).update(key(i), current -> Mutation.write(value, StoredRecord.NEVER));
        assertThat(stored).isNotNull();
      }
      keyspace.get(0).update(key(0), current -> Mutation.DELETE); // a delete is handed off too
      // each key's primary (node 0 or 1) kept one hint per key for the paused node: later versions merge into it
      assertThat(hintsFor(PAUSED)).isEqualTo(keys);
      for (int i = 0; i < keys; i++) {
        assertThat(keyspace.get(2).localRead(key(i), false)).as("key %d on the paused node", i).isNull();
      }
    } finally {
      cluster.pause(2, false);
    }
    cluster.awaitAlive(3);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      StoredRecord deleted = keyspace.get(2).localRead(key(0), false);
      assertThat(deleted).isNotNull();
      assertThat(deleted.isTombstone()).isTrue();
      for (int i = 1; i < keys; i++) {
        StoredRecord record = keyspace.get(2).localRead(key(i), false);
        assertThat(record).as("key %d on the node that was down", i).isNotNull();
        assertThat(record.soleValue().asUtf8()).isEqualTo("v" + i);
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> hintsFor(PAUSED) == 0);
    long handedOff = 0;
    for (RingstoreNode node : cluster.nodes()) {
      handedOff += node.handoffStats().handedOff();
      assertThat(node.handoffStats().hints()).isZero();
      assertThat(node.handoffStats().bytes()).isZero();
    }
    assertThat(handedOff).isEqualTo(keys);
  }

  @Test
  void versionsNoHintCouldHoldReachTheNodeByTheRepairItsMarkStarts() {
    // a hint store of 1 KiB: most of the versions the paused node misses are not kept, but counted and marked
    try (TestNodes small = TestNodes.start("hs", 3, HandoffSettings.defaults().withMaxBytes(HandoffSettings.MIN_MAX_BYTES)
        .withReplay(Duration.ofMillis(100), 1 << 20, 16))) {
      List<Coordinator> keyspace = small.open("overflow", 3, 2, 2);
      int keys = 60;
      small.pause(2, true);
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> !small.node(0).isAlive("hs-2") && !small.node(1).isAlive("hs-2"));
        for (int i = 0; i < keys; i++) {
          Bytes value = Bytes.utf8("v" + i);
          keyspace.get(i % 2).update(key(i), current -> Mutation.write(value, StoredRecord.NEVER));
        }
        long overflowed = small.node(0).handoffStats().overflowed() + small.node(1).handoffStats().overflowed();
        assertThat(overflowed).as("versions not kept as hints").isPositive();
        assertThat(small.node(0).hints("overflow").repairMarks().contains("hs-2")
            || small.node(1).hints("overflow").repairMarks().contains("hs-2")).isTrue();
      } finally {
        small.pause(2, false);
      }
      small.awaitAlive(3);
      // the hints that were kept are handed off, and the marks start repairs that bring the rest
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        for (int i = 0; i < keys; i++) {
          StoredRecord record = keyspace.get(2).localRead(key(i), false);
          assertThat(record).as("key %d on the node that was down", i).isNotNull();
          assertThat(record.soleValue().asUtf8()).isEqualTo("v" + i);
        }
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> small.node(0).hints("overflow").repairMarks().isEmpty()
          && small.node(1).hints("overflow").repairMarks().isEmpty());
    }
  }

  private static long hintsFor(String target) {
    long count = 0;
    for (RingstoreNode node : cluster.nodes()) {
      KeyspaceHints hints = node.hints("handoff");
      if (hints != null) {
        count += hints.counts().getOrDefault(target, 0L);
      }
    }
    return count;
  }

  private static Bytes key(int i) {
    return Bytes.utf8("key-" + i);
  }
}
