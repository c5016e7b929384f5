package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.repair.RepairSettings;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StoredRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tombstones are purged only once every replica of their key holds them, and a deleted key never
 * comes back: not from a replica that was down when it was deleted and returns with the old value,
 * not through a repair, not through a late version (nodes a, b, c in one thread on fake time,
 * {@link LocalNodes}; N = 3, W = 2, R = 2).
 */
class TombstoneTest {
  private static final KeyspaceSettings SETTINGS = new KeyspaceSettings("deletes", "memory", Map.of(), EngineSettings.UNBOUNDED,
      EngineSettings.UNBOUNDED, EvictionPolicy.LRU, 3, 2, 2, Duration.ofSeconds(1), Duration.ofSeconds(1), 16, 32,
      RemovalListener.NONE);
  private static final Duration GRACE = Duration.ofSeconds(30);

  private final LocalNodes nodes = new LocalNodes(SETTINGS, "a", "b", "c");

  /** A key whose first replica on the ring is {@code first}. */
  private Bytes keyFirstOn(String first) {
    for (int i = 0; ; i++) {
      Bytes key = Bytes.utf8("key-" + i);
      if (nodes.ring.preferenceList(Tokens.of(key), 3).get(0).equals(first)) {
        return key;
      }
    }
  }

  private TombstoneReaper reaper(String node) {
    return new TombstoneReaper(nodes.node(node), GRACE, nodes.env, Runnable::run);
  }

  private AntiEntropy antiEntropy(String node) {
    return new AntiEntropy(nodes.node(node), RepairSettings.defaults(), nodes.env);
  }

  private void write(String via, Bytes key, String value) {
    assertThat(nodes.await(nodes.node(via).updateAsync(key, current -> Mutation.write(Bytes.utf8(value), StoredRecord.NEVER), 2, 2)))
        .isNotNull();
    nodes.settle();
  }

  private void delete(String via, Bytes key) {
    nodes.await(nodes.node(via).updateAsync(key, current -> Mutation.DELETE, 2, 2));
    nodes.settle();
  }

  private boolean holdsValue(String node, Bytes key) {
    StoredRecord record = nodes.node(node).localRead(key, true);
    return record != null && !record.isTombstone();
  }

  private boolean holdsTombstone(String node, Bytes key) {
    StoredRecord record = nodes.node(node).localRead(key, true);
    return record != null && record.isTombstone();
  }

  @Test
  void aTombstoneEveryReplicaHoldsIsPurgedOnceItIsOlderThanTheGrace() {
    Bytes key = keyFirstOn("a");
    write("b", key, "v1");
    delete("b", key);
    for (String node : List.of("a", "b", "c")) {
      assertThat(holdsTombstone(node, key)).as("tombstone on %s", node).isTrue();
    }
    assertThat(nodes.await(reaper("a").sweep()).purged()).as("purged within the grace").isZero();
    nodes.time.advance(GRACE.plusSeconds(1));
    assertThat(nodes.await(reaper("b").sweep()).purged()).as("purged by a node that is not the key's first replica").isZero();
    TombstoneReaper.Sweep sweep = nodes.await(reaper("a").sweep());
    assertThat(sweep.purged()).isEqualTo(1);
    nodes.settle();
    for (String node : List.of("a", "b", "c")) {
      assertThat(nodes.node(node).localRead(key, true)).as("record on %s", node).isNull();
    }
    assertThat(nodes.await(nodes.node("b").readAsync(key, 3))).isNull();
  }

  @Test
  void aReplicaDownAtTheDeleteKeepsTheTombstoneAliveAndDoesNotBringTheValueBack() {
    Bytes key = keyFirstOn("a");
    write("a", key, "v1");
    assertThat(holdsValue("c", key)).isTrue();
    // c is down while the key is deleted: it keeps v1
    nodes.down.add("c");
    nodes.cut.add("c");
    delete("a", key);
    assertThat(holdsValue("c", key)).isTrue();
    nodes.time.advance(GRACE.plusSeconds(1));
    assertThat(nodes.await(reaper("a").sweep()).purged()).as("purged with a replica down").isZero();
    // c is back, still with v1: the tombstone stays until c holds it too
    nodes.down.clear();
    nodes.cut.clear();
    assertThat(nodes.await(reaper("a").sweep()).purged()).as("purged while c holds the value").isZero();
    assertThat(holdsTombstone("a", key)).isTrue();
    // anti-entropy brings c the tombstone (not a the value); then the tombstone is purged everywhere
    nodes.await(antiEntropy("a").round());
    nodes.settle();
    assertThat(holdsTombstone("c", key)).isTrue();
    nodes.time.advance(Duration.ofSeconds(1));
    assertThat(nodes.await(reaper("a").sweep()).purged()).isEqualTo(1);
    nodes.settle();
    // nothing brings the value back: not a repair from any node, not a quorum read
    for (String node : List.of("a", "b", "c")) {
      nodes.await(antiEntropy(node).round());
      nodes.settle();
    }
    for (String node : List.of("a", "b", "c")) {
      assertThat(nodes.node(node).localRead(key, true)).as("record on %s", node).isNull();
    }
    assertThat(nodes.await(nodes.node("c").readAsync(key, 3))).isNull();
  }

  @Test
  void purgingWithoutTheCheckBringsTheDeletedValueBack() {
    // what the reaper prevents: a tombstone dropped while one replica still holds the old value
    Bytes key = keyFirstOn("a");
    write("a", key, "v1");
    nodes.down.add("c");
    nodes.cut.add("c");
    delete("a", key);
    nodes.down.clear();
    nodes.cut.clear();
    StoredRecord tombstone = nodes.node("a").localRead(key, true);
    nodes.node("a").replica().purge(key, tombstone.clock());
    nodes.node("b").replica().purge(key, tombstone.clock());
    nodes.await(antiEntropy("c").round());
    nodes.settle();
    assertThat(holdsValue("a", key)).as("the deleted value is back on a").isTrue();
  }

  @Test
  void aLaterWriteOfThePurgedKeyIsKept() {
    Bytes key = keyFirstOn("b");
    write("a", key, "v1");
    delete("a", key);
    nodes.time.advance(GRACE.plusSeconds(1));
    assertThat(nodes.await(reaper("b").sweep()).purged()).isEqualTo(1);
    nodes.settle();
    write("c", key, "v2");
    StoredRecord read = nodes.await(nodes.node("a").readAsync(key, 3));
    assertThat(read.soleValue().asUtf8()).isEqualTo("v2");
  }
}
