package io.ringstore.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * The dotted-version-vector laws of {@link StoredRecord#write} and {@link StoredRecord#sync}, on
 * records that a real history can produce: three replicas, each coordinating its own writes (made
 * with the replica's current context, with an older context a client kept, or blind), and syncing
 * with each other in any order.
 */
class StoredRecordPropertiesTest {

  /** One step of a history: a write at {@code replica}, or a sync from {@code other} into it. */
  record Step(boolean write, int replica, int other, int context, boolean delete) {}

  /** The three replicas' records after a history, and every context a client saw on the way. */
  record History(List<StoredRecord> replicas, List<VectorClock> contexts) {
    StoredRecord a() {
      return replicas.get(0);
    }

    StoredRecord b() {
      return replicas.get(1);
    }

    StoredRecord c() {
      return replicas.get(2);
    }
  }

  @Provide
  Arbitrary<History> histories() {
    Arbitrary<Step> step = Combinators.combine(
        Arbitraries.integers().between(0, 9).map(n -> n < 6),
        Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 99),
        Arbitraries.integers().between(0, 7).map(n -> n == 0)).as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(25).map(StoredRecordPropertiesTest::play);
  }

  static History play(List<Step> steps) {
    StoredRecord[] replicas = new StoredRecord[3];
    List<VectorClock> contexts = new ArrayList<>(List.of(VectorClock.EMPTY));
    long[] timestamp = {0};
    for (Step s : steps) {
      if (s.write()) {
        replicas[s.replica()] = write(replicas[s.replica()], s, contexts, timestamp);
      } else if (replicas[s.other()] != null) {
        StoredRecord from = replicas[s.other()];
        StoredRecord into = replicas[s.replica()];
        replicas[s.replica()] = into == null ? from : StoredRecord.sync(into, from);
      }
    }
    for (int i = 0; i < 3; i++) {
      if (replicas[i] == null) {
        replicas[i] = write(null, new Step(true, i, i, 0, false), contexts, timestamp);
      }
    }
    return new History(List.of(replicas), contexts);
  }

  private static StoredRecord write(@Nullable StoredRecord current, Step s, List<VectorClock> contexts, long[] timestamp) {
    VectorClock context = switch (s.context() % 3) {
      case 0 -> current == null ? VectorClock.EMPTY : current.clock(); // read, then write
      case 1 -> contexts.get(s.context() % contexts.size()); // a client wrote with what it read earlier
      default -> VectorClock.EMPTY; // blind write
    };
    StoredRecord written = StoredRecord.write(current, context, "n" + s.replica(), ++timestamp[0],
        s.delete() ? null : Bytes.utf8("v" + timestamp[0]), StoredRecord.NEVER, timestamp[0]);
    contexts.add(written.clock());
    return written;
  }

  /** The causal content of a record: its clock and its siblings (dot, timestamp, value) as a set. */
  private static Object content(StoredRecord r) {
    return List.of(r.clock(), new HashSet<>(r.siblings()));
  }

  private static Set<Dot> dots(StoredRecord r) {
    return r.siblings().stream().map(Sibling::dot).collect(Collectors.toSet());
  }

  @Property
  void syncIsCommutative(@ForAll("histories") History h) {
    StoredRecord ab = StoredRecord.sync(h.a(), h.b());
    assertThat(content(ab)).isEqualTo(content(StoredRecord.sync(h.b(), h.a())));
    Statistics.label("order").collect(h.a().clock().compare(h.b().clock()));
    Statistics.label("siblings").collect(ab.siblings().size() > 1);
    Statistics.label("order").coverage(c -> c.check(Causality.CONCURRENT).percentage(p -> p > 20));
    Statistics.label("siblings").coverage(c -> c.check(true).percentage(p -> p > 20));
  }

  @Property
  void syncIsAssociative(@ForAll("histories") History h) {
    StoredRecord left = StoredRecord.sync(StoredRecord.sync(h.a(), h.b()), h.c());
    StoredRecord right = StoredRecord.sync(h.a(), StoredRecord.sync(h.b(), h.c()));
    assertThat(content(left)).isEqualTo(content(right));
  }

  @Property
  void syncIsIdempotent(@ForAll("histories") History h) {
    assertThat(content(StoredRecord.sync(h.a(), h.a()))).isEqualTo(content(h.a()));
    StoredRecord ab = StoredRecord.sync(h.a(), h.b());
    assertThat(content(StoredRecord.sync(ab, h.b()))).isEqualTo(content(ab));
  }

  @Property
  void syncMergesClocksAndKeepsWhatTheOtherSideHasNotSeen(@ForAll("histories") History h) {
    StoredRecord ab = StoredRecord.sync(h.a(), h.b());
    assertThat(ab.clock()).isEqualTo(h.a().clock().merge(h.b().clock()));
    for (Sibling s : h.a().siblings()) {
      if (!h.b().clock().covers(s.dot()) || h.b().holds(s.dot())) {
        assertThat(ab.holds(s.dot())).as("sibling %s of a survives", s.dot()).isTrue();
      } else {
        assertThat(ab.holds(s.dot())).as("sibling %s of a was superseded by b", s.dot()).isFalse();
      }
    }
    for (Dot d : dots(ab)) {
      assertThat(h.a().holds(d) || h.b().holds(d)).isTrue();
    }
  }

  @Property
  void aRecordIsAlwaysValid(@ForAll("histories") History h) {
    for (StoredRecord r : h.replicas()) {
      StoredRecord rebuilt = StoredRecord.of(r.clock(), r.siblings(), r.expiresAtMillis());
      // a plain write's record (held without a sibling list) equals the one built from its parts
      assertThat(rebuilt).isEqualTo(r).hasSameHashCodeAs(r);
      assertThat(r).isEqualTo(rebuilt);
      assertThat(rebuilt.weightBytes(3)).isEqualTo(r.weightBytes(3));
      assertThat(rebuilt.timestamp()).isEqualTo(r.timestamp());
      assertThat(rebuilt.soleValue()).isEqualTo(r.soleValue());
      for (Sibling s : r.siblings()) {
        assertThat(r.holds(s.dot())).isTrue();
        assertThat(r.holds(new Dot(s.dot().actor(), s.dot().counter() + 1000))).isFalse();
      }
      assertThat(r.isTombstone()).isEqualTo(r.siblings().stream().allMatch(Sibling::isTombstone));
    }
  }

  @Property
  void aWriteWithTheCurrentClockLeavesOneSibling(@ForAll("histories") History h) {
    StoredRecord current = h.a();
    StoredRecord written = StoredRecord.write(current, current.clock(), "n0", 1_000, Bytes.utf8("new"), StoredRecord.NEVER, 1_000);
    assertThat(written.siblings()).hasSize(1);
    Sibling only = written.siblings().get(0);
    assertThat(only.value()).isEqualTo(Bytes.utf8("new"));
    assertThat(current.clock().covers(only.dot())).isFalse();
    assertThat(written.clock().compare(current.clock())).isEqualTo(Causality.AFTER);
    assertThat(content(StoredRecord.sync(written, current))).isEqualTo(content(written));
  }

  @Property
  void aWriteWithAnOlderContextKeepsTheSiblingsItHadNotSeen(@ForAll("histories") History h) {
    StoredRecord current = h.a();
    VectorClock older = h.contexts().get(h.contexts().size() / 2);
    StoredRecord written = StoredRecord.write(current, older, "n1", 1_000, Bytes.utf8("new"), StoredRecord.NEVER, 1_000);

    Set<Dot> expected = new HashSet<>();
    for (Sibling s : current.siblings()) {
      if (!older.covers(s.dot())) {
        expected.add(s.dot());
      }
    }
    Dot fresh = current.clock().merge(older).nextDot("n1");
    expected.add(fresh);
    assertThat(dots(written)).isEqualTo(expected);
    assertThat(written.holds(fresh)).isTrue();
    assertThat(written.clock().descendsFrom(current.clock())).isTrue();
    assertThat(written.clock().descendsFrom(older)).isTrue();
  }

  @Property
  void aBlindWriteKeepsEverySibling(@ForAll("histories") History h) {
    StoredRecord current = h.b();
    StoredRecord written = StoredRecord.write(current, VectorClock.EMPTY, "n2", 1_000, null, StoredRecord.NEVER, 1_000);
    assertThat(written.siblings()).hasSize(current.siblings().size() + 1);
    assertThat(dots(written)).containsAll(dots(current));
  }

  @Property
  void aDescendantReplacesItsAncestorOnSync(@ForAll("histories") History h) {
    StoredRecord ancestor = h.c();
    StoredRecord descendant = StoredRecord.write(ancestor, ancestor.clock(), "n2", 1_000, Bytes.utf8("d"), 77L, 1_000);
    assertThat(StoredRecord.sync(ancestor, descendant)).isEqualTo(descendant);
    assertThat(StoredRecord.sync(descendant, ancestor)).isEqualTo(descendant);
  }

  @Property
  void weightGrowsWithTheValue(@ForAll("histories") History h) {
    StoredRecord r = h.a();
    long expected = StoredRecord.ENTRY_OVERHEAD_BYTES + 3 + 16L * r.clock().size()
        + r.siblings().stream().mapToLong(Sibling::weightBytes).sum();
    assertThat(r.weightBytes(3)).isEqualTo(expected);
  }
}
