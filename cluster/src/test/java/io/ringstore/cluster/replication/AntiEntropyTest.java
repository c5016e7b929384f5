package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.repair.MerkleTree;
import io.ringstore.cluster.repair.RepairReport;
import io.ringstore.cluster.repair.RepairSettings;
import io.ringstore.cluster.repair.TokenRanges;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import io.ringstore.spi.env.Env;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Merkle anti-entropy on three real nodes in this JVM: replicas made to diverge by writing straight
 * into one node's replica (keys only one node holds, concurrent versions, a descendant, a
 * tombstone) hold the vector-clock merge of every version of every key after one round on each
 * node, and their trees agree; a keyspace with an eviction bound is skipped.
 */
class AntiEntropyTest {
  private static final long SEED = 0x5EEDL;
  private static final long WALL_MILLIS = 1_893_456_000_000L;
  private static TestNodes cluster;
  private static ExecutorService scans;

  @BeforeAll
  static void start() {
    cluster = TestNodes.start("ae", 3);
    scans = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
    if (scans != null) {
      scans.shutdownNow();
      scans.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static StoredRecord version(@Nullable StoredRecord base, String actor, @Nullable String value, long step) {
    VectorClock context = base == null ? VectorClock.EMPTY : base.clock();
    return StoredRecord.write(base, context, actor, (WALL_MILLIS + step) << 16, value == null ? null : Bytes.utf8(value),
        StoredRecord.NEVER, WALL_MILLIS + step);
  }

  private static AntiEntropy antiEntropy(Coordinator keyspace, int depth) {
    return new AntiEntropy(keyspace, RepairSettings.defaults().withDepth(depth).withMaxRecordsPerSecond(100_000), Env.system(),
        scans);
  }

  /**
   * Writes {@code record} under {@code key} into the replicas of {@code nodes} only, and records it
   * in {@code expected} (the merge of every version written).
   */
  private static void diverge(List<Coordinator> keyspace, Map<Bytes, StoredRecord> expected, String key, StoredRecord record,
      int... nodes) {
    Bytes k = Bytes.utf8(key);
    for (int node : nodes) {
      keyspace.get(node).replica().merge(k, record);
    }
    expected.merge(k, record, StoredRecord::sync);
  }

  @Test
  void aRoundOnEachNodeLeavesEveryReplicaHoldingTheMergeOfEveryVersion() throws Exception {
    System.out.println("AntiEntropyTest seed = " + SEED);
    Random random = new Random(SEED);
    List<Coordinator> keyspace = cluster.open("ae-store", 3, 2, 2);
    Map<Bytes, StoredRecord> expected = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      // a key only one node holds, a different node each time
      diverge(keyspace, expected, "only-" + i, version(null, "w" + i % 3, "v" + random.nextInt(1000), i), i % 3);
    }
    for (int i = 0; i < 10; i++) {
      // concurrent versions on two nodes: both survive as siblings
      diverge(keyspace, expected, "conflict-" + i, version(null, "wa", "a" + i, i), 0);
      diverge(keyspace, expected, "conflict-" + i, version(null, "wb", "b" + i, i + 1), 1 + i % 2);
    }
    for (int i = 0; i < 10; i++) {
      // a version everywhere, and a descendant on one node: the descendant wins
      StoredRecord first = version(null, "wa", "old" + i, i);
      diverge(keyspace, expected, "newer-" + i, first, 0, 1, 2);
      diverge(keyspace, expected, "newer-" + i, version(first, "wb", "new" + i, i + 100), i % 3);
    }
    for (int i = 0; i < 10; i++) {
      // a delete that reached one node: the tombstone propagates
      StoredRecord live = version(null, "wa", "doomed" + i, i);
      diverge(keyspace, expected, "deleted-" + i, live, 0, 1, 2);
      diverge(keyspace, expected, "deleted-" + i, version(live, "wc", null, i + 200), (i + 1) % 3);
    }
    assertThat(expected.values()).anyMatch(StoredRecord::hasSiblings).anyMatch(StoredRecord::isTombstone);

    List<RepairReport> reports = new ArrayList<>();
    for (Coordinator node : keyspace) {
      reports.addAll(antiEntropy(node, 6).round().get(60, TimeUnit.SECONDS));
    }
    reports.forEach(System.out::println);

    assertThat(reports).hasSize(6).allSatisfy(r -> {
      assertThat(r.failures()).isEmpty();
      assertThat(r.skippedBounded()).isFalse();
      assertThat(r.ranges()).isEqualTo(1); // N = 3 on 3 nodes: the pair shares the whole ring
    });
    assertThat(reports.get(0).recordsPulled() + reports.get(0).recordsPushed()).isPositive();
    for (Coordinator node : keyspace) {
      for (Map.Entry<Bytes, StoredRecord> e : expected.entrySet()) {
        assertThat(node.localRead(e.getKey(), false)).as("%s on %s", e.getKey(), node.nodeId()).isEqualTo(e.getValue());
      }
    }
    for (int a = 0; a < 3; a++) {
      for (int b = a + 1; b < 3; b++) {
        AntiEntropy left = antiEntropy(keyspace.get(a), 6);
        TokenRanges scope = left.scopeWith(keyspace.get(b).nodeId());
        MerkleTree mine = left.tree(scope);
        MerkleTree theirs = antiEntropy(keyspace.get(b), 6).tree(scope);
        assertThat(mine.entries()).isEqualTo(expected.size());
        assertThat(mine.root()).as("roots of %d and %d", a, b).isEqualTo(theirs.root());
      }
    }
    // a second round finds nothing to do
    List<RepairReport> again = antiEntropy(keyspace.get(2), 6).round().get(60, TimeUnit.SECONDS);
    assertThat(again).allSatisfy(r -> {
      assertThat(r.leavesDiffering()).isZero();
      assertThat(r.recordsPulled() + r.recordsPushed()).isZero();
    });
  }

  @Test
  void withTwoReplicasAPairComparesOnlyTheRangesBothHold() throws Exception {
    List<Coordinator> keyspace = cluster.open("ae-pairs", 2, 1, 1);
    Map<Bytes, StoredRecord> expected = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      String key = "pair-" + i;
      List<String> replicas = keyspace.get(0).ring().preferenceList(Tokens.of(Bytes.utf8(key)), 2);
      int holder = indexOf(keyspace, replicas.get(i % 2));
      diverge(keyspace, expected, key, version(null, "w", "v" + i, i), holder);
    }
    List<RepairReport> reports = new ArrayList<>();
    for (Coordinator node : keyspace) {
      reports.addAll(antiEntropy(node, 8).round().get(60, TimeUnit.SECONDS));
    }
    reports.forEach(System.out::println);
    assertThat(reports).allSatisfy(r -> assertThat(r.failures()).isEmpty());
    for (Map.Entry<Bytes, StoredRecord> e : expected.entrySet()) {
      List<String> replicas = keyspace.get(0).ring().preferenceList(Tokens.of(e.getKey()), 2);
      for (Coordinator node : keyspace) {
        StoredRecord held = node.localRead(e.getKey(), false);
        if (replicas.contains(node.nodeId())) {
          assertThat(held).as("%s on its replica %s", e.getKey(), node.nodeId()).isEqualTo(e.getValue());
        } else {
          assertThat(held).as("%s on %s, not its replica", e.getKey(), node.nodeId()).isNull();
        }
      }
    }
  }

  @Test
  void aKeyspaceWithAnEvictionBoundIsSkipped() throws Exception {
    KeyspaceSettings bounded = new KeyspaceSettings("ae-bounded", "memory", Map.of(), 1000, Long.MAX_VALUE, EvictionPolicy.LRU,
        3, 1, 1, Duration.ofSeconds(5), Duration.ofSeconds(5), 16, 32, RemovalListener.NONE);
    List<Coordinator> keyspace = cluster.open(bounded);
    Bytes key = Bytes.utf8("lonely");
    keyspace.get(0).replica().merge(key, version(null, "w", "v", 1));

    List<RepairReport> reports = antiEntropy(keyspace.get(0), 6).round().get(60, TimeUnit.SECONDS);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.skippedBounded()).isTrue();
      assertThat(r.toString()).contains("skipped", "bounded");
    });
    assertThat(antiEntropy(keyspace.get(0), 6).exchange(keyspace.get(1).nodeId()).get(60, TimeUnit.SECONDS).skippedBounded())
        .isTrue();
    assertThat(keyspace.get(1).localRead(key, false)).isNull();
    assertThat(keyspace.get(2).localRead(key, false)).isNull();
  }

  @Test
  void anExchangeWithANodeThatIsNotThereFailsInItsReport() throws Exception {
    List<Coordinator> keyspace = cluster.open("ae-missing", 3, 1, 1);
    RepairReport report = antiEntropy(keyspace.get(0), 4).exchange("no-such-node").get(60, TimeUnit.SECONDS);
    assertThat(report.succeeded()).isFalse();
    assertThat(report.failures()).isNotEmpty();
  }

  private static int indexOf(List<Coordinator> keyspace, String nodeId) {
    for (int i = 0; i < keyspace.size(); i++) {
      if (keyspace.get(i).nodeId().equals(nodeId)) {
        return i;
      }
    }
    throw new AssertionError("no node " + nodeId);
  }
}
