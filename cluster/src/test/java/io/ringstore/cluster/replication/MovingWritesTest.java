package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.QuorumNotReachedException;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StoredRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Writes while a membership change moves keys ({@link LocalNodes}: nodes a, b, c on the ring, d
 * joining): a moved key's write reaches its replicas on both rings and needs W on each; reads go by
 * the current ring until the view switches; a key the change does not move is written as before.
 */
class MovingWritesTest {
  private static final KeyspaceSettings SETTINGS = new KeyspaceSettings("moving", "memory", Map.of(), EngineSettings.UNBOUNDED,
      EngineSettings.UNBOUNDED, EvictionPolicy.LRU, 3, 2, 2, Duration.ofSeconds(1), Duration.ofSeconds(1), 16, 32,
      RemovalListener.NONE);

  private static LocalNodes joining() {
    LocalNodes nodes = new LocalNodes(SETTINGS, "a", "b", "c", "d");
    RingSnapshot all = nodes.ring;
    nodes.ring = RingSnapshot.of(Map.of("a", 1, "b", 1, "c", 1), 16);
    nodes.otherRing = all;
    return nodes;
  }

  /** A key whose replicas on the two rings differ (moved) or not. */
  private static Bytes key(LocalNodes nodes, boolean moved) {
    for (int i = 0; ; i++) {
      Bytes key = Bytes.utf8("key-" + i);
      long token = Tokens.of(key);
      boolean differs = !nodes.ring.preferenceList(token, 3).equals(nodes.otherRing.preferenceList(token, 3));
      if (differs == moved) {
        return key;
      }
    }
  }

  private static KeyOperation put(String value) {
    return current -> Mutation.write(Bytes.utf8(value), StoredRecord.NEVER);
  }

  @Test
  void aMovedKeysWriteReachesItsReplicasOnBothRings() {
    LocalNodes nodes = joining();
    Bytes key = key(nodes, true);
    assertThat(nodes.await(nodes.node("a").updateAsync(key, put("v"), 2, 2))).isNotNull();
    nodes.settle();
    for (String id : List.of("a", "b", "c", "d")) {
      assertThat(nodes.node(id).localRead(key, false)).as("the record on %s", id).isNotNull();
    }
  }

  @Test
  void aKeyTheChangeDoesNotMoveIsNotSentToTheJoiningNode() {
    LocalNodes nodes = joining();
    Bytes key = key(nodes, false);
    assertThat(nodes.await(nodes.node("a").updateAsync(key, put("v"), 2, 2))).isNotNull();
    nodes.settle();
    assertThat(nodes.node("d").localRead(key, false)).isNull();
  }

  @Test
  void aMovedKeysWriteNeedsWOnEachRing() {
    LocalNodes nodes = joining();
    Bytes key = key(nodes, true);
    long token = Tokens.of(key);
    List<String> newList = nodes.otherRing.preferenceList(token, 3);
    assertThat(newList).contains("d");
    // W = 3: every replica of the current ring can acknowledge, but d (on the new ring) does not answer
    nodes.cut.add("d");
    assertThatThrownBy(() -> nodes.await(nodes.node("a").updateAsync(key, put("v"), 3, 1)))
        .isInstanceOf(CompletionException.class).cause().isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("writeQuorum W = 3 not reached").hasMessageContaining("a membership change moves the key");
    nodes.cut.clear();
    nodes.settle();
    assertThat(nodes.await(nodes.node("a").updateAsync(key, put("w"), 3, 1))).isNotNull();
  }

  @Test
  void aMovedKeyWhoseNewReplicaIsDownFailsAtOnceForWAboveWhatIsLeft() {
    LocalNodes nodes = joining();
    Bytes key = key(nodes, true);
    nodes.down.add("d");
    assertThatThrownBy(() -> nodes.await(nodes.node("a").updateAsync(key, put("v"), 3, 1)))
        .isInstanceOf(CompletionException.class).cause().isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("a membership change moves the key to replicas");
  }

  @Test
  void readsGoByTheCurrentRingUntilTheViewSwitches() {
    LocalNodes nodes = joining();
    Bytes key = key(nodes, true);
    long token = Tokens.of(key);
    List<String> oldList = nodes.ring.preferenceList(token, 3);
    List<String> newList = nodes.otherRing.preferenceList(token, 3);
    String leaving = oldList.stream().filter(n -> !newList.contains(n)).findFirst().orElseThrow();
    // only the node that leaves the key's list holds it (as streamed data would be before the move)
    nodes.node(leaving).replica().merge(key, StoredRecord.write(null, io.ringstore.spi.VectorClock.EMPTY, leaving, 1, Bytes.utf8("old"),
        StoredRecord.NEVER, 1));
    String reader = newList.stream().filter(n -> !n.equals("d")).findFirst().orElseThrow();
    assertThat(nodes.await(nodes.node(reader).readAsync(key, 3))).as("R = N on the current ring").isNotNull();
    // the switch: reads now go by the new ring, which does not hold the leaving node
    RingSnapshot old = nodes.ring;
    nodes.ring = nodes.otherRing;
    nodes.otherRing = old;
    nodes.down.add(leaving);
    nodes.settle();
    StoredRecord onNewRing = nodes.await(nodes.node(reader).readAsync(key, 3));
    assertThat(onNewRing).as("R = N on the new ring: the read repair of the first read reached its replicas").isNotNull();
  }
}
