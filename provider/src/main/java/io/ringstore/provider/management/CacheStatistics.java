package io.ringstore.provider.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The statistics of one cache: the counters the cache records into, exposed over JMX as the
 * spec's {@link CacheStatisticsMXBean}.
 *
 * <p>Semantics are the reference implementation's: gets = hits + misses; a percentage is 0 when its
 * count is 0, else count / gets * 100; an average time is the recorded total divided by the count
 * of its operation (gets, puts, removals), in microseconds, and 0 when either is 0. {@link #clear()}
 * sets every counter, including the totals behind the averages, to 0. What counts as a hit, put or
 * removal is the cache's business (it follows the spec's per-operation table).
 *
 * <p>Ringstore adds {@link #getDiscardedSiblings()}: concurrent versions that last-write-wins
 * resolution discarded. It is not part of the MXBean interface, so JMX does not show it.
 *
 * <p>Invariants: every counter is >= 0 unless a caller records a negative count (a bug, rejected).
 *
 * <p>Thread-safety: thread-safe; counters are {@link LongAdder}s, so recording never contends. A
 * getter that combines counters (percentages, averages) reads each once; under concurrent recording
 * they are not a single atomic snapshot.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {

  private static final float NANOS_PER_MICRO = 1_000f;

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  private final LongAdder discardedSiblings = new LongAdder();

  /** Creates statistics with every counter at 0. */
  public CacheStatistics() {}

  /** Adds {@code count} hits (gets that found a value). */
  public void recordHits(long count) {
    hits.add(checked("hits", count));
  }

  /** Adds {@code count} misses (gets that found none). */
  public void recordMisses(long count) {
    misses.add(checked("misses", count));
  }

  /** Adds {@code count} puts. */
  public void recordPuts(long count) {
    puts.add(checked("puts", count));
  }

  /** Adds {@code count} removals. */
  public void recordRemovals(long count) {
    removals.add(checked("removals", count));
  }

  /** Adds {@code count} evictions. */
  public void recordEvictions(long count) {
    evictions.add(checked("evictions", count));
  }

  /** Adds {@code nanos} to the total time spent in gets. */
  public void recordGetNanos(long nanos) {
    getNanos.add(checked("getNanos", nanos));
  }

  /** Adds {@code nanos} to the total time spent in puts. */
  public void recordPutNanos(long nanos) {
    putNanos.add(checked("putNanos", nanos));
  }

  /** Adds {@code nanos} to the total time spent in removals. */
  public void recordRemoveNanos(long nanos) {
    removeNanos.add(checked("removeNanos", nanos));
  }

  /** Adds {@code count} siblings discarded by last-write-wins resolution. */
  public void recordDiscardedSiblings(long count) {
    discardedSiblings.add(checked("discardedSiblings", count));
  }

  /** Siblings discarded by last-write-wins resolution since creation or {@link #clear()}. */
  public long getDiscardedSiblings() {
    return discardedSiblings.sum();
  }

  @Override
  public void clear() {
    hits.reset();
    misses.reset();
    puts.reset();
    removals.reset();
    evictions.reset();
    getNanos.reset();
    putNanos.reset();
    removeNanos.reset();
    discardedSiblings.reset();
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    return percentage(hits.sum(), misses.sum());
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    return percentage(misses.sum(), hits.sum());
  }

  @Override
  public long getCacheGets() {
    return hits.sum() + misses.sum();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return evictions.sum();
  }

  @Override
  public float getAverageGetTime() {
    return averageMicros(getNanos.sum(), hits.sum() + misses.sum());
  }

  @Override
  public float getAveragePutTime() {
    return averageMicros(putNanos.sum(), puts.sum());
  }

  @Override
  public float getAverageRemoveTime() {
    return averageMicros(removeNanos.sum(), removals.sum());
  }

  /** {@code part / (part + rest) * 100}, or 0 when {@code part} is 0. */
  private static float percentage(long part, long rest) {
    if (part == 0) {
      return 0f;
    }
    return (float) part / (part + rest) * 100f;
  }

  private static float averageMicros(long totalNanos, long count) {
    if (totalNanos == 0 || count == 0) {
      return 0f;
    }
    return (float) ((double) totalNanos / count / NANOS_PER_MICRO);
  }

  private static long checked(String counter, long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException(
          "statistics counter '" + counter + "': cannot add " + amount + "; need >= 0");
    }
    return amount;
  }

  @Override
  public String toString() {
    return "CacheStatistics[hits=" + getCacheHits() + ", misses=" + getCacheMisses()
        + ", puts=" + getCachePuts() + ", removals=" + getCacheRemovals()
        + ", evictions=" + getCacheEvictions() + "]";
  }
}
