package io.ringstore.cluster.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.cluster.replication.KeyOperation;
import io.ringstore.cluster.replication.Mutation;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.QuorumNotReachedException;
import io.ringstore.spi.StoredRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Which writes a primary keeps as hints ({@link HandoffRig}: N = 2 on nodes a and b, a the primary
 * of the keys used): a replica judged down gets one, and so does one judged alive that cannot be
 * reached; a hint never counts toward W.
 */
class HintedWritesTest {

  private static final KeyOperation PUT = current -> Mutation.write(Bytes.utf8("value"), StoredRecord.NEVER);

  /** Keys whose preference list starts with node a. */
  private static List<Bytes> keysOfA(HandoffRig rig, int count) {
    List<Bytes> keys = new ArrayList<>();
    for (int i = 0; keys.size() < count; i++) {
      Bytes key = HandoffRig.key(i);
      if (rig.a.ring().preferenceList(Tokens.of(key), 2).get(0).equals("a")) {
        keys.add(key);
      }
    }
    return keys;
  }

  @Test
  void aReplicaJudgedDownGetsAHint() {
    HandoffRig rig = new HandoffRig(HandoffSettings.defaults());
    for (Bytes key : keysOfA(rig, 5)) {
      assertThat(rig.a.updateAsync(key, PUT, 1, 1).toCompletableFuture().join()).isNotNull();
    }
    assertThat(rig.requests).isZero();
    assertThat(rig.hints.counts()).containsEntry("b", 5L);
  }

  @Test
  void aReplicaThatCannotBeReachedGetsAHintThatDoesNotCountTowardW() {
    HandoffRig rig = new HandoffRig(HandoffSettings.defaults());
    rig.bAlive = true;
    rig.linkCut = true;
    List<Bytes> keys = keysOfA(rig, 6);
    for (Bytes key : keys.subList(0, 3)) {
      assertThat(rig.a.updateAsync(key, PUT, 1, 1).toCompletableFuture().join()).isNotNull();
    }
    for (Bytes key : keys.subList(3, 6)) {
      CompletableFuture<StoredRecord> w2 = rig.a.updateAsync(key, current -> Mutation.write(Bytes.utf8("x"), StoredRecord.NEVER), 2, 1)
          .toCompletableFuture();
      rig.advance(Duration.ofSeconds(2));
      assertThat(w2).isCompletedExceptionally();
      assertThat(w2.handle((ok, e) -> e.getCause()).join()).isInstanceOf(QuorumNotReachedException.class)
          .hasMessageContaining("writeQuorum W = 2 not reached: 1 of 2 live replicas");
    }
    assertThat(rig.hints.counts()).containsEntry("b", 6L);
    rig.linkCut = false;
    rig.replay.start();
    rig.advance(Duration.ofSeconds(2));
    for (Bytes key : keys) {
      assertThat(rig.b.localRead(key, false)).isNotNull();
    }
  }
}
