package io.ringstore.provider.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheStatisticsTest {

  private final CacheStatistics statistics = new CacheStatistics();

  @Test
  void freshStatisticsAreAllZeroIncludingRatios() {
    assertThat(statistics.getCacheHits()).isZero();
    assertThat(statistics.getCacheMisses()).isZero();
    assertThat(statistics.getCacheGets()).isZero();
    assertThat(statistics.getCachePuts()).isZero();
    assertThat(statistics.getCacheRemovals()).isZero();
    assertThat(statistics.getCacheEvictions()).isZero();
    assertThat(statistics.getCacheHitPercentage()).isZero();
    assertThat(statistics.getCacheMissPercentage()).isZero();
    assertThat(statistics.getAverageGetTime()).isZero();
    assertThat(statistics.getAveragePutTime()).isZero();
    assertThat(statistics.getAverageRemoveTime()).isZero();
    assertThat(statistics.getDiscardedSiblings()).isZero();
  }

  @Test
  void getsAreHitsPlusMissesAndPercentagesFollowThem() {
    statistics.recordHits(2);
    statistics.recordMisses(1);

    assertThat(statistics.getCacheGets()).isEqualTo(3);
    assertThat(statistics.getCacheHitPercentage()).isCloseTo(66.666f, within(0.01f));
    assertThat(statistics.getCacheMissPercentage()).isCloseTo(33.333f, within(0.01f));
  }

  @Test
  void aPercentageIsZeroWhenItsCountIsZero() {
    statistics.recordMisses(4);
    assertThat(statistics.getCacheHitPercentage()).isZero();
    assertThat(statistics.getCacheMissPercentage()).isEqualTo(100f);
  }

  @Test
  void averagesAreMicrosecondsPerOperation() {
    statistics.recordHits(2);
    statistics.recordMisses(2);
    statistics.recordGetNanos(6_000);
    statistics.recordPuts(4);
    statistics.recordPutNanos(10_000);
    statistics.recordRemovals(3);
    statistics.recordRemoveNanos(1_000);

    assertThat(statistics.getAverageGetTime()).isEqualTo(1.5f);
    assertThat(statistics.getAveragePutTime()).isEqualTo(2.5f);
    assertThat(statistics.getAverageRemoveTime()).isCloseTo(0.3333f, within(0.0001f));
  }

  @Test
  void anAverageIsZeroWithoutOperationsOrWithoutTime() {
    statistics.recordPutNanos(5_000); // time recorded, no put counted
    statistics.recordRemovals(2); // removals counted, no time recorded
    assertThat(statistics.getAveragePutTime()).isZero();
    assertThat(statistics.getAverageRemoveTime()).isZero();
  }

  @Test
  void clearResetsEveryCounterAndTotal() {
    statistics.recordHits(1);
    statistics.recordMisses(1);
    statistics.recordPuts(1);
    statistics.recordRemovals(1);
    statistics.recordEvictions(1);
    statistics.recordGetNanos(1);
    statistics.recordPutNanos(1);
    statistics.recordRemoveNanos(1);
    statistics.recordDiscardedSiblings(1);

    statistics.clear();

    freshStatisticsAreAllZeroIncludingRatios();
    statistics.recordPuts(1);
    assertThat(statistics.getAveragePutTime()).as("put time was reset too").isZero();
  }

  @Test
  void evictionsAndDiscardedSiblingsAreCounted() {
    statistics.recordEvictions(3);
    statistics.recordDiscardedSiblings(5);
    assertThat(statistics.getCacheEvictions()).isEqualTo(3);
    assertThat(statistics.getDiscardedSiblings()).isEqualTo(5);
  }

  @Test
  void negativeAmountsAreRefusedNamingTheCounter() {
    assertThatThrownBy(() -> statistics.recordHits(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hits")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> statistics.recordGetNanos(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("getNanos");
  }

  @Test
  void concurrentRecordingLosesNothing() throws InterruptedException {
    int threads = 4;
    int perThread = 10_000;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          statistics.recordHits(1);
          statistics.recordPuts(1);
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(statistics.getCacheHits()).isEqualTo((long) threads * perThread);
    assertThat(statistics.getCachePuts()).isEqualTo((long) threads * perThread);
  }
}
