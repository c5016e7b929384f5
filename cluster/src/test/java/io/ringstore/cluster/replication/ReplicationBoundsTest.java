package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.ring.Tokens;
import io.ringstore.cluster.vertx.EventBusSettings;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replica protocol's bounds, past which a request fails with an error that names the setting:
 * the event bus's frame bound and the requests one node may have waiting for replies.
 */
class ReplicationBoundsTest {
  private static TestNodes cluster;

  @BeforeAll
  static void start() {
    cluster = TestNodes.start("bounds", 2, EventBusSettings.MIN_FRAME_BYTES, 4);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A key whose primary (first replica) is {@code node}. */
  private static Bytes keyOwnedBy(Coordinator coordinator, String node) {
    for (int i = 0; ; i++) {
      Bytes key = Bytes.utf8("key-" + i);
      if (coordinator.ring().preferenceList(Tokens.of(key), 2).get(0).equals(node)) {
        return key;
      }
    }
  }

  @Test
  void aValueLargerThanTheFrameBoundIsRefusedNamingTheSetting() {
    List<Coordinator> keyspace = cluster.open("frames", 2, 2, 1);
    Coordinator coordinator = keyspace.get(0);
    Bytes key = keyOwnedBy(coordinator, cluster.node(1).nodeId());
    Bytes big = Bytes.of(new byte[EventBusSettings.MIN_FRAME_BYTES + 1]);
    assertThatThrownBy(() -> coordinator.update(key, current -> Mutation.write(big, StoredRecord.NEVER)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("past the frame bound ringstore.bus.maxFrameBytes = " + EventBusSettings.MIN_FRAME_BYTES);
    assertThat(keyspace.get(1).localRead(key, false)).isNull(); // nothing was written
    // a value within the bound goes through
    Bytes small = Bytes.of(new byte[1024]);
    assertThat(coordinator.update(key, current -> Mutation.write(small, StoredRecord.NEVER)).soleValue()).isEqualTo(small);
  }

  @Test
  void requestsPastTheInFlightBoundFailAtOnceNamingTheSetting() {
    List<Coordinator> keyspace = cluster.open("inflight", 2, 1, 2);
    Coordinator coordinator = keyspace.get(0);
    List<CompletableFuture<StoredRecord>> reads = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      reads.add(coordinator.readAsync(Bytes.utf8("k" + i), 2).toCompletableFuture());
    }
    int refused = 0;
    for (CompletableFuture<StoredRecord> read : reads) {
      try {
        read.join();
      } catch (CompletionException e) {
        assertThat(e.getCause()).hasMessageContaining("ringstore.replication.maxInFlight = 4");
        refused++;
      }
    }
    // 200 reads at once, each sending one request: most find 4 already waiting
    assertThat(refused).isPositive();
    assertThat(coordinator.read(Bytes.utf8("k0"), 2)).isNull(); // and the node serves again afterwards
  }
}
