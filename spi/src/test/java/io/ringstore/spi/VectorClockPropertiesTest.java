package io.ringstore.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The laws of {@link VectorClock}: merge is a join, compare agrees with it, prune keeps the newest. */
class VectorClockPropertiesTest {

  @Provide
  Arbitrary<VectorClock> clocks() {
    Arbitrary<String> actors = Arbitraries.of("a", "b", "c", "d", "e");
    Arbitrary<Long> counters = Arbitraries.longs().between(1, 4);
    Arbitrary<Long> stamps = Arbitraries.longs().between(0, 20);
    Arbitrary<Entry> entry = Combinators.combine(actors, counters, stamps).as(Entry::new);
    return entry.list().ofMaxSize(6).map(entries -> {
      VectorClock clock = VectorClock.EMPTY;
      for (Entry e : entries) {
        clock = clock.advance(new Dot(e.actor, e.counter), e.stampMillis);
      }
      return clock;
    });
  }

  private record Entry(String actor, long counter, long stampMillis) {}

  @Property
  void mergeIsCommutative(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
  }

  @Property
  void mergeIsAssociative(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b, @ForAll("clocks") VectorClock c) {
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
  }

  @Property
  void mergeIsIdempotent(@ForAll("clocks") VectorClock a) {
    assertThat(a.merge(a)).isEqualTo(a);
    assertThat(a.merge(VectorClock.EMPTY)).isEqualTo(a);
    assertThat(VectorClock.EMPTY.merge(a)).isEqualTo(a);
  }

  @Property
  void mergeIsThePointwiseMaximum(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
    VectorClock m = a.merge(b);
    for (String actor : List.of("a", "b", "c", "d", "e")) {
      assertThat(m.counter(actor)).isEqualTo(Math.max(a.counter(actor), b.counter(actor)));
    }
    assertThat(m.descendsFrom(a)).isTrue();
    assertThat(m.descendsFrom(b)).isTrue();
  }

  @Property
  void compareIsConsistentWithMerge(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
    VectorClock m = a.merge(b);
    Causality order = a.compare(b);
    switch (order) {
      case EQUAL -> assertThat(a).isEqualTo(b);
      case BEFORE -> assertThat(m).isEqualTo(b).isNotEqualTo(a);
      case AFTER -> assertThat(m).isEqualTo(a).isNotEqualTo(b);
      case CONCURRENT -> assertThat(m).isNotEqualTo(a).isNotEqualTo(b);
      default -> throw new AssertionError(order);
    }
    assertThat(b.compare(a)).isEqualTo(switch (order) {
      case BEFORE -> Causality.AFTER;
      case AFTER -> Causality.BEFORE;
      default -> order;
    });
    assertThat(a.descendsFrom(b)).isEqualTo(order == Causality.AFTER || order == Causality.EQUAL);
  }

  @Property
  void equalClocksHaveEqualHashCodes(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
    if (a.equals(b)) {
      assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }
  }

  @Property
  void coversExactlyTheDotsItHasSeen(@ForAll("clocks") VectorClock a, @ForAll @IntRange(min = 1, max = 6) int counter) {
    for (String actor : List.of("a", "b", "c", "d", "e")) {
      assertThat(a.covers(new Dot(actor, counter))).isEqualTo(a.counter(actor) >= counter);
      assertThat(a.covers(a.nextDot(actor))).isFalse();
      assertThat(a.advance(a.nextDot(actor), 0).compare(a)).isEqualTo(Causality.AFTER);
    }
  }

  @Property
  void pruneKeepsTheNewestEntries(@ForAll("clocks") VectorClock a, @ForAll @IntRange(min = 1, max = 6) int max) {
    VectorClock pruned = a.prune(max);
    if (a.size() <= max) {
      assertThat(pruned).isSameAs(a);
      return;
    }
    assertThat(pruned.size()).isEqualTo(max);
    Map<String, Long> keptStamps = new TreeMap<>();
    for (int i = 0; i < pruned.size(); i++) {
      String actor = pruned.actor(i);
      assertThat(pruned.counterAt(i)).isEqualTo(a.counter(actor));
      keptStamps.put(actor, pruned.stampMillisAt(i));
    }
    List<Long> droppedStamps = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!keptStamps.containsKey(a.actor(i))) {
        droppedStamps.add(a.stampMillisAt(i));
      } else {
        assertThat(keptStamps.get(a.actor(i))).isEqualTo(a.stampMillisAt(i));
      }
    }
    long oldestKept = keptStamps.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    assertThat(droppedStamps).allSatisfy(dropped -> assertThat(dropped).isLessThanOrEqualTo(oldestKept));
    assertThat(a.descendsFrom(pruned)).isTrue();
  }
}
