package io.ringstore.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.replication.DirectOperation;
import io.ringstore.cluster.replication.Mutation;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Dot;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.QuorumNotReachedException;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.testkit.FakeTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The single-node data path end to end: coordinator, replica, memory engine. */
class SingleNodeDataPathTest {
  private final FakeTime time = new FakeTime();
  private final RingstoreNode node = RingstoreNode.embedded(
      NodeOptions.embedded(getClass().getClassLoader()).withNodeId("n1").withEnv(Env.of(time)));

  @AfterEach
  void close() {
    node.close();
  }

  private static KeyspaceSettings settings(String name, int n, int w, int r) {
    return new KeyspaceSettings(name, "memory", Map.of(), EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED,
        EvictionPolicy.NO_EVICTION, n, w, r, Duration.ofSeconds(1), Duration.ofSeconds(1), 8, 16, RemovalListener.NONE);
  }

  @Test
  void aWriteIsReadBackAsOneVersionOfThisNode() {
    Coordinator c = node.openKeyspace(settings("k", 1, 1, 1));
    c.update(Bytes.utf8("a"), current -> Mutation.write(Bytes.utf8("1"), StoredRecord.NEVER));

    StoredRecord read = c.read(Bytes.utf8("a"));
    assertThat(read).isNotNull();
    assertThat(read.siblings()).hasSize(1);
    assertThat(read.siblings().get(0).dot()).isEqualTo(new Dot("n1", 1));
    assertThat(read.siblings().get(0).value()).isEqualTo(Bytes.utf8("1"));
  }

  /** An operation that is its own write, as the provider's steps are. */
  private static final class Overwrite extends DirectOperation implements Mutation.Write {
    private final Bytes value;
    int runs;

    Overwrite(Bytes value) {
      this.value = value;
    }

    @Override
    public Mutation apply(StoredRecord current) {
      runs++;
      return this;
    }

    @Override
    public Bytes value() {
      return value;
    }

    @Override
    public long expiresAtMillis() {
      return StoredRecord.NEVER;
    }
  }

  @Test
  void aDirectOperationMakesTheSameVersionsAsAWrappedOne() {
    Coordinator c = node.openKeyspace(settings("k", 1, 1, 1));
    Bytes key = Bytes.utf8("a");
    Overwrite first = new Overwrite(Bytes.utf8("1"));
    StoredRecord one = c.update(key, first);
    StoredRecord two = c.update(key, current -> Mutation.write(Bytes.utf8("2"), StoredRecord.NEVER));
    StoredRecord three = c.update(key, new Overwrite(Bytes.utf8("3")));

    assertThat(first.runs).isEqualTo(1);
    assertThat(one.siblings()).singleElement().satisfies(s -> assertThat(s.dot()).isEqualTo(new Dot("n1", 1)));
    assertThat(three.clock().descendsFrom(two.clock())).isTrue();
    assertThat(c.read(key).soleValue()).isEqualTo(Bytes.utf8("3"));
  }

  @Test
  void aDirectOperationRefusesToRunOutsideACoordinator() {
    assertThatThrownBy(() -> new Overwrite(Bytes.utf8("1")).apply(Bytes.utf8("a"), null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Coordinator.update");
  }

  @Test
  void closingAKeyspaceKeepsItsRecordsAndDroppingOneClearsThem() {
    KeyspaceSettings recording = new KeyspaceSettings("kept", RecordingEngineFactory.NAME, Map.of(), EngineSettings.UNBOUNDED,
        EngineSettings.UNBOUNDED, EvictionPolicy.NO_EVICTION, 1, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 8, 16,
        RemovalListener.NONE);
    node.openKeyspace(recording).update(Bytes.utf8("a"), current -> Mutation.write(Bytes.utf8("1"), StoredRecord.NEVER));
    node.closeKeyspace("kept");
    assertThat(RecordingEngineFactory.CALLS.get("kept")).containsExactly("close");
    assertThat(node.keyspace("kept")).isNull();

    node.openKeyspace(recording);
    node.dropKeyspace("kept");
    assertThat(RecordingEngineFactory.CALLS.get("kept")).containsExactly("clear", "close");
  }

  @Test
  void anOverwriteDescendsFromWhatItSaw() {
    Coordinator c = node.openKeyspace(settings("k", 1, 1, 1));
    Bytes key = Bytes.utf8("a");
    StoredRecord first = c.update(key, current -> Mutation.write(Bytes.utf8("1"), StoredRecord.NEVER));
    StoredRecord second = c.update(key, current -> Mutation.write(Bytes.utf8("2"), StoredRecord.NEVER));

    assertThat(second.clock().descendsFrom(first.clock())).isTrue();
    assertThat(second.siblings()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(Bytes.utf8("2")));
    assertThat(second.timestamp()).isGreaterThan(first.timestamp());
  }

  @Test
  void deleteOnTheOnlyReplicaLeavesNoTombstone() {
    Coordinator c = node.openKeyspace(settings("k", 1, 1, 1));
    Bytes key = Bytes.utf8("a");
    c.update(key, current -> Mutation.write(Bytes.utf8("1"), StoredRecord.NEVER));
    assertThat(c.update(key, current -> Mutation.DELETE)).isNull();
    assertThat(c.read(key)).isNull();
    assertThat(c.stats().entries()).isZero();
  }

  @Test
  void keepAndTouchDoNotMakeNewVersions() {
    Coordinator c = node.openKeyspace(settings("k", 1, 1, 1));
    Bytes key = Bytes.utf8("a");
    StoredRecord written = c.update(key, current -> Mutation.write(Bytes.utf8("1"), time.millis() + 10_000));
    assertThat(c.update(key, current -> Mutation.KEEP)).isSameAs(written);

    StoredRecord touched = c.update(key, current -> Mutation.touch(time.millis() + 60_000));
    assertThat(touched.clock()).isEqualTo(written.clock());
    assertThat(touched.expiresAtMillis()).isEqualTo(time.millis() + 60_000);

    time.advance(Duration.ofSeconds(30));
    assertThat(c.read(key)).isNotNull();
    time.advance(Duration.ofSeconds(30));
    assertThat(c.read(key)).isNull();
  }

  @Test
  void anOperationThatThrowsWritesNothing() {
    Coordinator c = node.openKeyspace(settings("k", 1, 1, 1));
    Bytes key = Bytes.utf8("a");
    StoredRecord before = c.update(key, current -> Mutation.write(Bytes.utf8("1"), StoredRecord.NEVER));
    assertThatThrownBy(() -> c.update(key, current -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(c.read(key)).isEqualTo(before);
  }

  @Test
  void aQuorumLargerThanTheRingIsRefusedAndNothingIsWritten() {
    Coordinator c = node.openKeyspace(settings("k", 3, 2, 1));
    Bytes key = Bytes.utf8("a");
    assertThatThrownBy(() -> c.update(key, current -> Mutation.write(Bytes.utf8("1"), StoredRecord.NEVER)))
        .isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("writeQuorum W = 2 not reachable: the key has 1 replicas [n1] on a ring of 1 members");
    assertThat(c.read(key)).isNull();
  }

  @Test
  void settingsNameTheBadValue() {
    assertThatThrownBy(() -> settings("orders", 3, 4, 1))
        .hasMessage("cache 'orders': writeQuorum W = 4 exceeds replicationFactor N = 3; need 1 <= W <= N");
    assertThatThrownBy(() -> settings("orders", 3, 2, 0))
        .hasMessage("cache 'orders': readQuorum R = 0 is out of range; need 1 <= R <= N (N = 3)");
    assertThatThrownBy(() -> settings("orders", 0, 1, 1))
        .hasMessage("cache 'orders': replicationFactor N = 0 is out of range; need N >= 1");
  }

  @Test
  void keyspacesAreOpenedOnceAndEnginesChosenByName() {
    node.openKeyspace(settings("k", 1, 1, 1));
    assertThatThrownBy(() -> node.openKeyspace(settings("k", 1, 1, 1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("keyspace 'k' is already open");
    KeyspaceSettings unknown = new KeyspaceSettings("u", "no-such-engine", Map.of(), EngineSettings.UNBOUNDED,
        EngineSettings.UNBOUNDED, EvictionPolicy.NO_EVICTION, 1, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 8, 16,
        RemovalListener.NONE);
    assertThatThrownBy(() -> node.openKeyspace(unknown))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("storageEngine = 'no-such-engine' is not available; available engines: [lsm, memory");
    node.dropKeyspace("k");
    assertThat(node.keyspace("k")).isNull();
    node.openKeyspace(settings("k", 1, 1, 1));
  }
}
