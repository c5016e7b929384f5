package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.vertx.Change.CounterKind;
import io.ringstore.cluster.vertx.Change.CounterUpdate;
import io.ringstore.cluster.vertx.Change.MapRead;
import io.ringstore.cluster.vertx.Change.MapRemove;
import io.ringstore.cluster.vertx.Change.MapReplaceIfPresent;
import io.ringstore.cluster.vertx.Change.MapWrite;
import io.ringstore.cluster.vertx.Change.ReadKind;
import io.ringstore.cluster.vertx.Change.WriteMode;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.testkit.FakeTime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.shareddata.Lock;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedState} as the replicated state machine it is, on {@link FakeTime}: a simulated
 * sequence applies every submitted change to every member in order (the coordinator's job), so
 * the tests check what the design promises without a network: replicas agree, results come back
 * to the origin, TTL timers run on the coordinator only and move with it, locks pass on, a joining
 * member gets the state (and the changes that overtake its snapshot), and the bounds hold.
 */
class SharedStateTest {
  private static final long SEED = Long.getLong("ringstore.seed", System.nanoTime());

  private final FakeTime time = new FakeTime();
  private final Sequence sequence = new Sequence();

  @Test
  void everyMemberComputesTheSameStateFromTheSameSequence() {
    System.out.println("SharedStateTest seed: " + SEED + " (-Dringstore.seed=" + SEED + ")");
    Random random = new Random(SEED);
    Member a = sequence.join("a");
    Member b = sequence.join("b");
    Member c = sequence.join("c");
    List<Member> all = List.of(a, b, c);
    Map<Object, Object> model = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      Member m = all.get(random.nextInt(3));
      int key = random.nextInt(8);
      String value = "v" + random.nextInt(4);
      Object expected;
      Object actual;
      switch (random.nextInt(4)) {
        case 0 -> {
          expected = model.put(key, value);
          actual = m.write(WriteMode.PUT, key, value, 0);
        }
        case 1 -> {
          expected = model.putIfAbsent(key, value);
          actual = m.write(WriteMode.PUT_IF_ABSENT, key, value, 0);
        }
        case 2 -> {
          expected = model.replace(key, value);
          actual = m.write(WriteMode.REPLACE, key, value, 0);
        }
        default -> {
          expected = model.remove(key, value);
          actual = m.run((o, id) -> new MapRemove(o, id, "m", m.key(key), m.value(value)));
        }
      }
      assertThat(actual).as("operation %d (seed %d)", i, SEED).isEqualTo(expected);
    }
    assertThat(a.run((o, id) -> new MapRead(o, id, "m", ReadKind.ENTRIES, null))).isEqualTo(model);
    for (Member m : all) {
      assertThat(m.state.localEntries("m")).containsExactlyInAnyOrderElementsOf(a.state.localEntries("m"));
      assertThat(m.state.stateBytes()).isEqualTo(a.state.stateBytes());
    }
  }

  @Test
  void conditionalWritesAndCountersAnswerTheOrigin() {
    Member a = sequence.join("a");
    Member b = sequence.join("b");
    assertThat(b.write(WriteMode.PUT_IF_ABSENT, "k", "one", 0)).isNull();
    assertThat(a.write(WriteMode.PUT_IF_ABSENT, "k", "two", 0)).isEqualTo("one");
    assertThat(a.run((o, id) -> new MapReplaceIfPresent(o, id, "m", a.key("k"), a.value("two"), a.value("three"), 0))).isEqualTo(false);
    assertThat(b.run((o, id) -> new MapReplaceIfPresent(o, id, "m", b.key("k"), b.value("one"), b.value("three"), 0))).isEqualTo(true);
    assertThat(a.run((o, id) -> new MapRead(o, id, "m", ReadKind.GET, a.key("k")))).isEqualTo("three");
    assertThat(a.run((o, id) -> new CounterUpdate(o, id, "c", CounterKind.ADD_AND_GET, 5, 0))).isEqualTo(5L);
    assertThat(b.run((o, id) -> new CounterUpdate(o, id, "c", CounterKind.COMPARE_AND_SET, 5, 7))).isEqualTo(true);
    assertThat(a.run((o, id) -> new CounterUpdate(o, id, "c", CounterKind.GET_AND_ADD, 1, 0))).isEqualTo(7L);
    assertThat(b.run((o, id) -> new CounterUpdate(o, id, "c", CounterKind.GET, 0, 0))).isEqualTo(8L);
  }

  @Test
  void aChangeSentAgainAfterACoordinatorCrashAppliesOnceEvenOnAMemberThatJoinedBetween() {
    Member a = sequence.join("a");
    Change add = new CounterUpdate("a", 1_000, "c", CounterKind.ADD_AND_GET, 5, 0);
    Change acquire = new Change.LockAcquire("a", 1_001, "l");
    sequence.submit(add);
    sequence.submit(acquire);
    sequence.submit(new Change.LockRelease("a", 1_001, "l"));
    sequence.drain();
    Member b = sequence.join("b"); // its snapshot carries the ids applied
    sequence.submit(add); // the successor of a crashed coordinator gets them again
    sequence.submit(acquire);
    sequence.drain();
    for (Member m : List.of(a, b)) {
      assertThat(m.run((o, id) -> new CounterUpdate(o, id, "c", CounterKind.GET, 0, 0))).isEqualTo(5L);
    }
    Future<Lock> lock = b.state.acquire("l", 1_000);
    sequence.drain();
    assertThat(lock.succeeded()).as("the repeated acquisition did not take the lock again").isTrue();
  }

  @Test
  void anEntryExpiresByTheCoordinatorsTimerButAWriteAfterItStays() {
    Member a = sequence.join("a");
    Member b = sequence.join("b");
    b.write(WriteMode.PUT, "gone", "x", 1_000);
    b.write(WriteMode.PUT, "kept", "x", 1_000);
    b.write(WriteMode.PUT, "kept", "y", 0); // a newer write without TTL: the old timer must not remove it
    assertThat(time.pendingTasks()).as("timers: the coordinator's only, one per expiring entry").isEqualTo(1);
    advance(Duration.ofMillis(999));
    assertThat(b.state.localGet("m", b.key("gone"))).isNotNull();
    advance(Duration.ofMillis(1));
    assertThat(a.state.localGet("m", a.key("gone"))).isNull();
    assertThat(b.state.localGet("m", b.key("gone"))).isNull();
    assertThat(b.state.localGet("m", b.key("kept"))).isEqualTo(b.value("y"));
  }

  @Test
  void aNewCoordinatorArmsTheTimersForTheTimeLeft() {
    Member a = sequence.join("a");
    Member b = sequence.join("b");
    Member c = sequence.join("c");
    c.write(WriteMode.PUT, "k", "v", 10_000);
    advance(Duration.ofSeconds(4));
    sequence.leave(a); // b takes over, with 6 s left on its own ticker
    assertThat(time.pendingTasks()).isEqualTo(1);
    advance(Duration.ofMillis(5_999));
    assertThat(c.state.localGet("m", c.key("k"))).isNotNull();
    advance(Duration.ofMillis(1));
    assertThat(c.state.localGet("m", c.key("k"))).isNull();
    assertThat(b.state.localGet("m", b.key("k"))).isNull();
  }

  @Test
  void aJoiningMemberGetsTheStateAndTheChangesThatOvertakeItsSnapshot() {
    Member a = sequence.join("a");
    a.write(WriteMode.PUT, "k", "v", 5_000);
    a.run((o, id) -> new CounterUpdate(o, id, "c", CounterKind.ADD_AND_GET, 3, 0));
    Future<Lock> held = a.state.acquire("l", 1_000);
    sequence.drain();
    assertThat(held.succeeded()).isTrue();

    Member late = new Member("late");
    Buffer snapshot = Buffer.buffer();
    a.state.writeSnapshot(snapshot);
    sequence.members.add(late);
    a.write(WriteMode.PUT, "k2", "v2", 0); // reaches "late" before its snapshot does
    late.state.installSnapshot(snapshot, new int[] {0});
    assertThat(late.state.localEntries("m")).containsExactlyInAnyOrderElementsOf(a.state.localEntries("m"));
    assertThat(late.state.stateBytes()).isEqualTo(a.state.stateBytes());
    Future<Lock> waiting = late.state.acquire("l", 10_000);
    sequence.drain();
    assertThat(waiting.isComplete()).isFalse();
    held.result().release();
    sequence.drain();
    assertThat(waiting.succeeded()).isTrue();
    assertThat(late.run((o, id) -> new CounterUpdate(o, id, "c", CounterKind.GET, 0, 0))).isEqualTo(3L);
    sequence.leave(a);
    advance(Duration.ofSeconds(5));
    assertThat(late.state.localGet("m", late.key("k"))).as("the TTL carried in the snapshot").isNull();
  }

  @Test
  void aLockPassesOnInOrderOnReleaseAndWhenItsHolderLeaves() {
    Member a = sequence.join("a");
    Member b = sequence.join("b");
    Member c = sequence.join("c");
    Future<Lock> first = b.state.acquire("l", 60_000);
    Future<Lock> second = c.state.acquire("l", 60_000);
    Future<Lock> third = a.state.acquire("l", 60_000);
    sequence.drain();
    assertThat(first.succeeded()).isTrue();
    assertThat(second.isComplete()).isFalse();
    first.result().release();
    first.result().release(); // a second release does nothing
    sequence.drain();
    assertThat(second.succeeded()).isTrue();
    assertThat(third.isComplete()).isFalse();
    sequence.leave(c); // the holder leaves: its lock goes to the next waiter
    assertThat(third.succeeded()).isTrue();
  }

  @Test
  void aWaiterThatTimesOutLeavesTheQueueAndAGrantThatCameTooLateIsGivenBack() {
    Member a = sequence.join("a");
    Member b = sequence.join("b");
    Future<Lock> held = a.state.acquire("l", 60_000);
    sequence.drain();
    Future<Lock> impatient = b.state.acquire("l", 100);
    sequence.drain();
    advance(Duration.ofMillis(100));
    assertThat(impatient.failed()).isTrue();
    assertThat(impatient.cause()).hasMessageContaining("Timed out waiting to get lock l");
    Future<Lock> patient = b.state.acquire("l", 60_000);
    held.result().release();
    sequence.drain();
    assertThat(patient.succeeded()).isTrue();
  }

  @Test
  void theSharedDataIsBoundedSoThatASnapshotFitsInAFrame() {
    sequence.maxStateBytes = 4_096;
    Member a = sequence.join("a");
    assertThatThrownBy(() -> a.state.value("m", new byte[5_000]))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("a value of 5001 bytes");
    a.write(WriteMode.PUT, "k1", new byte[3_000], 0);
    Future<@Nullable Object> refused = a.state.operate((o, id) -> new MapWrite(o, id, "m", WriteMode.PUT, a.key("k2"), a.value(new byte[3_000]), 0));
    sequence.drain();
    assertThat(refused.cause()).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("cluster map 'm'").hasMessageContaining("the limit is 4096 bytes");
    assertThat(a.state.localGet("m", a.key("k2"))).isNull();
    a.run((o, id) -> new MapRemove(o, id, "m", a.key("k1"), null));
    assertThat(a.state.stateBytes()).isZero();
  }

  @Test
  void aSerializableValueIsRefusedUnlessTheAllowListNamesItsClass() {
    ClusterValueCodec off = new ClusterValueCodec("");
    assertThatThrownBy(() -> off.encode(new Plain("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Plain.class.getName())
        .hasMessageContaining("ringstore.cluster.serializableFilter");
    ClusterValueCodec other = new ClusterValueCodec("com.example.**");
    assertThatThrownBy(() -> other.encode(new Plain("x")))
        .hasMessageContaining("'com.example.**' does not allow it");
    ClusterValueCodec on = new ClusterValueCodec("io.ringstore.cluster.vertx.SharedStateTest$Plain");
    byte[] bytes = on.encode(new Plain("x"));
    assertThat(on.decode(bytes)).isEqualTo(new Plain("x"));
    assertThatThrownBy(() -> off.decode(bytes)).isInstanceOf(MalformedClusterMessageException.class)
        .hasMessageContaining("is not set on this member");
    assertThatThrownBy(() -> other.decode(bytes)).isInstanceOf(MalformedClusterMessageException.class)
        .hasMessageContaining("refused by ringstore.cluster.serializableFilter");
    assertThatThrownBy(() -> new ClusterValueCodec("maxdepth=x"))
        .hasMessageContaining("ringstore.cluster.serializableFilter = 'maxdepth=x'");
  }

  private void advance(Duration step) {
    time.advance(step);
    sequence.drain();
  }

  /** A value that is only Serializable. */
  record Plain(String text) implements Serializable {}

  /** The coordinator's sequence, simulated: applies each submitted change to every member, in order. */
  private final class Sequence {
    final List<Member> members = new ArrayList<>();
    final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    long maxStateBytes = 1 << 20;

    Member join(String id) {
      Member m = new Member(id);
      if (members.isEmpty()) {
        m.state.coordinatorIs(true);
      } else {
        Buffer snapshot = Buffer.buffer();
        members.get(0).state.writeSnapshot(snapshot);
        m.state.installSnapshot(snapshot, new int[] {0});
      }
      members.add(m);
      return m;
    }

    Future<Void> submit(Change change) {
      Promise<Void> done = Promise.promise();
      queue.add(new Object[] {change, done});
      return done.future();
    }

    void leave(Member m) {
      submit(new Change.MemberRemoved(m.id));
      drain();
    }

    @SuppressWarnings("unchecked")
    void drain() {
      while (!queue.isEmpty()) {
        Object[] next = queue.poll();
        Change change = (Change) next[0];
        List<Member> targets = new ArrayList<>(members);
        if (change instanceof Change.MemberRemoved removed) {
          members.removeIf(m -> m.id.equals(removed.nodeId()));
        }
        for (Member m : targets) {
          if (change instanceof Change.SharedChange shared) {
            m.state.apply(shared);
          } else if (change instanceof Change.MemberRemoved removed) {
            m.state.memberRemoved(removed.nodeId());
          }
          m.state.coordinatorIs(!members.isEmpty() && members.get(0) == m);
        }
        ((Promise<Void>) next[1]).complete();
      }
    }
  }

  private final class Member {
    final String id;
    final SharedState state;

    Member(String id) {
      this.id = id;
      this.state = new SharedState(new ClusterValueCodec(""), time, time, () -> id, sequence::submit, sequence.maxStateBytes);
    }

    Bytes key(Object k) {
      return state.key("m", k);
    }

    Bytes value(Object v) {
      return state.value("m", v);
    }

    @Nullable Object write(WriteMode mode, Object k, Object v, long ttlMillis) {
      return run((o, id) -> new MapWrite(o, id, "m", mode, key(k), value(v), ttlMillis));
    }

    @Nullable Object run(SharedState.OperationFactory op) {
      Future<@Nullable Object> f = state.decoded(state.operate(op));
      sequence.drain();
      assertThat(f.succeeded()).as("operation outcome: %s", f.cause()).isTrue();
      return f.result();
    }
  }
}
