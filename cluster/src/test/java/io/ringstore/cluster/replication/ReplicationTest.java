package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.QuorumNotReachedException;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The replicated data path on three real nodes in this JVM (each its own clustered Vert.x on
 * loopback): writes reach N replicas and are acknowledged after W, reads merge R answers, stale
 * replicas are repaired by reads, read-modify-writes from several nodes at once are serialised by
 * the key's primary, concurrent writes with old contexts become siblings, and clear and iteration
 * cover the cluster.
 */
class ReplicationTest {
  private static TestNodes cluster;

  @BeforeAll
  static void start() {
    cluster = TestNodes.start("rep", 3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Bytes key(String text) {
    return Bytes.utf8(text);
  }

  private static @org.jspecify.annotations.Nullable String text(@org.jspecify.annotations.Nullable StoredRecord record) {
    return record == null || record.isTombstone() ? null : record.soleValue().asUtf8();
  }

  private static KeyOperation put(String value) {
    return current -> io.ringstore.cluster.replication.Mutation.write(Bytes.utf8(value), StoredRecord.NEVER);
  }

  @ParameterizedTest(name = "N=3 W={0} R={1}")
  @CsvSource({"1,1", "2,2", "1,3", "3,1"})
  void aWriteOnOneNodeIsReadOnEveryNode(int w, int r) {
    List<Coordinator> keyspace = cluster.open("quorum-" + w + "-" + r, 3, w, r);
    for (int i = 0; i < 30; i++) {
      Bytes k = key("k" + i);
      keyspace.get(i % 3).update(k, put("v" + i));
      for (Coordinator reader : keyspace) {
        if (w + r > 3) {
          // a quorum read overlaps the write's quorum: the write is seen at once
          assertThat(text(reader.read(k))).as("read of k%d on %s", i, reader.nodeId()).isEqualTo("v" + i);
        } else {
          await().atMost(Duration.ofSeconds(10)).until(() -> ("v" + k.asUtf8().substring(1)).equals(text(reader.read(k))));
        }
      }
    }
    // every replica holds every key once the writes have spread
    for (Coordinator replica : keyspace) {
      await().atMost(Duration.ofSeconds(10)).until(() -> text(replica.localRead(key("k29"), false)) != null);
    }
  }

  @Test
  void blindWritesSkipTheReadAndDescendWhatThePrimaryHolds() {
    List<Coordinator> keyspace = cluster.open("blind", 3, 2, 2);
    Bytes k = key("b");
    int[] decisions = new int[1];
    KeyOperation blindPut = new KeyOperation() {
      @Override
      public Mutation apply(@org.jspecify.annotations.Nullable StoredRecord current) {
        assertThat(current).isNull(); // never shown what the key holds
        decisions[0]++;
        return Mutation.write(Bytes.utf8("v" + decisions[0]), StoredRecord.NEVER);
      }

      @Override
      public boolean blind() {
        return true;
      }
    };
    for (int i = 0; i < 6; i++) {
      keyspace.get(i % 3).update(k, blindPut);
    }
    StoredRecord record = keyspace.get(0).read(k, 3);
    assertThat(record.hasSiblings()).isFalse();
    assertThat(text(record)).isEqualTo("v6");
    assertThat(decisions[0]).isEqualTo(6);
  }

  @ParameterizedTest(name = "N=3 W={0}")
  @CsvSource({"2", "3"})
  void aCoordinatorThatIsAReplicaWritesThePrimarysVersionItselfInsteadOfBeingSentIt(int w) {
    List<Coordinator> keyspace = cluster.open("origin-writes-" + w, 3, w, 1);
    Coordinator origin = keyspace.get(0);
    Bytes k = null;
    for (int i = 0; k == null; i++) {
      Bytes candidate = key("ow" + i);
      if (!origin.ring().preferenceList(Tokens.of(candidate), 3).get(0).equals(origin.nodeId())) {
        k = candidate;
      }
    }
    List<String> replicas = origin.ring().preferenceList(Tokens.of(k), 3);
    String primary = replicas.get(0);
    String third = replicas.get(1).equals(origin.nodeId()) ? replicas.get(2) : replicas.get(1);
    // every replica request any node sends, as "from>to:type"
    List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    List<io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>>> interceptors = new ArrayList<>();
    for (RingstoreNode node : cluster.nodes()) {
      io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> interceptor = context -> {
        String address = context.message().address();
        if (address.startsWith("ringstore.replica.") && context.body() instanceof io.vertx.core.buffer.Buffer body) {
          sent.add(node.nodeId() + ">" + address.substring("ringstore.replica.".length()) + ":" + String.format("%02x", body.getByte(3)));
        }
        context.next();
      };
      node.vertx().eventBus().addOutboundInterceptor(interceptor);
      interceptors.add(interceptor);
    }
    Coordinator thirdReplica = keyspace.stream().filter(c -> c.nodeId().equals(third)).findFirst().orElseThrow();
    try {
      origin.update(k, put("v"));
      // acknowledged: the origin and the primary hold it (and with W = 3 the third replica too)
      assertThat(text(origin.localRead(k, false))).isEqualTo("v");
      if (w == 3) {
        assertThat(text(thirdReplica.localRead(k, false))).isEqualTo("v");
      }
      Bytes written = k;
      await().atMost(Duration.ofSeconds(10)).until(() -> "v".equals(text(thirdReplica.localRead(written, false))));
    } finally {
      for (int i = 0; i < interceptors.size(); i++) {
        cluster.nodes().get(i).vertx().eventBus().removeOutboundInterceptor(interceptors.get(i));
      }
    }
    assertThat(sent).as("replica requests sent").contains(origin.nodeId() + ">" + primary + ":03", primary + ">" + third + ":02")
        .doesNotContain(primary + ">" + origin.nodeId() + ":02");
  }

  @Test
  void bulkReadsAndUpdatesRunEveryKeyAtOnceAndReportEachOutcome() {
    List<Coordinator> keyspace = cluster.open("bulk", 3, 2, 2);
    List<Bytes> keys = new ArrayList<>();
    List<KeyOperation> writes = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      keys.add(key("bulk" + i));
      writes.add(put("v" + i));
    }
    List<Object> written = keyspace.get(1).updateAll(keys, writes);
    assertThat(written).hasSize(600).allSatisfy(r -> assertThat(r).isInstanceOf(StoredRecord.class));
    List<Object> read = keyspace.get(2).readAll(keys);
    for (int i = 0; i < 600; i++) {
      assertThat(text((StoredRecord) read.get(i))).isEqualTo("v" + i);
    }
    // one key's operation throws: only that key fails, the others are written
    List<KeyOperation> oneFails = new ArrayList<>(writes);
    oneFails.set(7, current -> {
      throw new IllegalStateException("no");
    });
    List<Object> outcomes = keyspace.get(0).updateAll(keys, oneFails);
    assertThat(outcomes.get(7)).isInstanceOf(IllegalStateException.class);
    assertThat(outcomes.stream().filter(o -> o instanceof RuntimeException)).hasSize(1);
  }

  @Test
  void aReadRepairsAReplicaThatLostTheKey() {
    List<Coordinator> keyspace = cluster.open("repair", 3, 2, 2);
    Bytes k = key("lost");
    keyspace.get(0).update(k, put("found"));
    for (Coordinator replica : keyspace) {
      await().atMost(Duration.ofSeconds(10)).until(() -> replica.localRead(k, false) != null);
    }
    keyspace.get(2).replica().engine().compute(k, (key, current) -> null); // the replica loses the key
    assertThat(keyspace.get(2).localRead(k, false)).isNull();

    assertThat(text(keyspace.get(1).read(k, 3))).isEqualTo("found");
    await().atMost(Duration.ofSeconds(10)).until(() -> "found".equals(text(keyspace.get(2).localRead(k, false))));
  }

  @Test
  void readModifyWritesFromEveryNodeAtOnceLoseNoIncrement() throws Exception {
    List<Coordinator> keyspace = cluster.open("counter", 3, 2, 2);
    Bytes k = key("count");
    KeyOperation increment = current -> {
      int value = current == null || current.isTombstone() ? 0 : Integer.parseInt(current.soleValue().asUtf8());
      return io.ringstore.cluster.replication.Mutation.write(Bytes.utf8(Integer.toString(value + 1)), StoredRecord.NEVER);
    };
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Coordinator coordinator : keyspace) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < 40; i++) {
            coordinator.update(k, increment);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    StoredRecord record = keyspace.get(0).read(k, 3);
    assertThat(record.hasSiblings()).isFalse();
    assertThat(text(record)).isEqualTo("120");
  }

  @Test
  void writesWithTheSameOldContextBecomeSiblingsAndAWriteWithTheirContextReplacesThem() {
    List<Coordinator> keyspace = cluster.open("siblings", 3, 2, 2);
    Bytes k = key("cart");
    keyspace.get(0).update(k, put("base"));
    VectorClock seen = keyspace.get(1).read(k).clock();
    keyspace.get(1).update(k, current -> Mutation.write(Bytes.utf8("milk"), StoredRecord.NEVER, seen));
    keyspace.get(2).update(k, current -> Mutation.write(Bytes.utf8("eggs"), StoredRecord.NEVER, seen));

    StoredRecord both = keyspace.get(0).read(k, 3);
    assertThat(both.siblings()).extracting(s -> s.value().asUtf8()).containsExactlyInAnyOrder("milk", "eggs");

    keyspace.get(0).update(k, current -> Mutation.write(Bytes.utf8("milk,eggs"), StoredRecord.NEVER, both.clock()));
    assertThat(text(keyspace.get(2).read(k, 3))).isEqualTo("milk,eggs");
  }

  @Test
  void aWritePastTheSiblingBoundIsATypedErrorAndWritesNothing() {
    List<Coordinator> keyspace = cluster.open(TestNodes.settings("bounded-siblings", 3, 2, 2, 2));
    Bytes k = key("crowded");
    keyspace.get(0).update(k, put("base"));
    VectorClock seen = keyspace.get(0).read(k).clock();
    keyspace.get(1).update(k, current -> Mutation.write(Bytes.utf8("a"), StoredRecord.NEVER, seen));
    keyspace.get(2).update(k, current -> Mutation.write(Bytes.utf8("b"), StoredRecord.NEVER, seen));
    assertThatThrownBy(() -> keyspace.get(0).update(k, current -> Mutation.write(Bytes.utf8("c"), StoredRecord.NEVER, seen)))
        .isInstanceOf(io.ringstore.spi.LimitExceededException.class)
        .hasMessageContaining("would keep 3 sibling values, past the bound maxSiblings = 2");
    assertThat(keyspace.get(1).read(k, 3).siblings()).extracting(sibling -> sibling.value().asUtf8())
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void clearAndIterationCoverEveryNode() {
    List<Coordinator> keyspace = cluster.open("whole", 3, 1, 1);
    Set<String> written = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      keyspace.get(i % 3).update(key("w" + i), put("x"));
      written.add("w" + i);
    }
    // N = 3 on 3 nodes: every node holds every key; iteration returns each key once
    await().atMost(Duration.ofSeconds(10)).until(() -> keys(keyspace.get(1)).equals(written));

    keyspace.get(2).clear();
    for (Coordinator c : keyspace) {
      assertThat(c.replica().engine().iterator().hasNext()).as("records left on %s", c.nodeId()).isFalse();
    }
    assertThat(keys(keyspace.get(0))).isEmpty();
  }

  @Test
  void iterationPagesThroughRemoteReplicas() {
    // N = 1: each key lives on one node only, most of them remote from the iterating node
    List<Coordinator> keyspace = cluster.open("paged", 1, 1, 1);
    Set<String> written = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      keyspace.get(0).update(key("p" + i), put("x"));
      written.add("p" + i);
    }
    assertThat(keys(keyspace.get(0))).isEqualTo(written);
    int local = 0;
    for (var it = keyspace.get(0).replica().engine().iterator(); it.hasNext(); it.next()) {
      local++;
    }
    assertThat(local).isLessThan(600); // a third of the keys, give or take
  }

  @Test
  void tooFewReplicasForAQuorumIsAnErrorThatCountsThem() {
    List<Coordinator> keyspace = cluster.open("strict", 3, 3, 3);
    CompletableFuture<StoredRecord> ok = keyspace.get(0).updateAsync(key("a"), put("1"), 3, 3).toCompletableFuture();
    assertThat(text(ok.join())).isEqualTo("1");
    // N = 3 on a cluster of 3: asking a write of a key on a 4-member preference list is not possible;
    // a quorum above N is an argument error naming the bound
    assertThatThrownBy(() -> keyspace.get(0).update(key("a"), put("2"), 4, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeQuorum W = 4 is out of range; need 1 <= W <= N (N = 3)");
  }

  private static Set<String> keys(Coordinator coordinator) {
    Set<String> keys = new HashSet<>();
    for (var it = coordinator.scan(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      assertThat(keys.add(entry.key().asUtf8())).as("key %s returned twice", entry.key()).isTrue();
    }
    return keys;
  }

  @SuppressWarnings("unused")
  private static long token(String key) {
    return Tokens.of(key(key));
  }
}
