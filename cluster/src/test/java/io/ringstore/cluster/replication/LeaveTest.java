package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringstore.cluster.node.RingstoreNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node that leaves cleanly is off every other node's ring at once (it is not kept as a down
 * member), however often nodes come and go: what a cache manager closed and opened again does.
 */
class LeaveTest {

  @Test
  void nodesThatLeaveCleanlyLeaveTheRingEveryTime() {
    try (TestNodes cluster = TestNodes.start("leave", 2)) {
      for (int i = 0; i < 6; i++) {
        RingstoreNode visitor = cluster.add("visitor-" + i);
        cluster.awaitAlive(3);
        visitor.close();
        cluster.nodes().remove(visitor);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          for (RingstoreNode node : cluster.nodes()) {
            assertThat(node.ring().members()).as("ring of %s", node.nodeId()).isEqualTo(List.of("leave-0", "leave-1"));
          }
        });
      }
      // and the ring serves quorum writes on the two that stay
      List<Coordinator> keyspace = cluster.open("after", 2, 2, 2);
      keyspace.get(0).update(io.ringstore.spi.Bytes.utf8("k"), current -> Mutation.write(io.ringstore.spi.Bytes.utf8("v"),
          io.ringstore.spi.StoredRecord.NEVER));
      assertThat(keyspace.get(1).read(io.ringstore.spi.Bytes.utf8("k")).soleValue().asUtf8()).isEqualTo("v");
    }
  }
}
