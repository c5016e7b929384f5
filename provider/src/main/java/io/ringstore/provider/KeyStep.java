package io.ringstore.provider;

import io.ringstore.cluster.replication.DirectOperation;
import io.ringstore.cluster.replication.KeyOperation;
import io.ringstore.cluster.replication.Mutation;
import io.ringstore.provider.event.EventBatch;
import io.ringstore.provider.expiry.ExpiryCalculator;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The part every JCache read-modify-write of one key shares: it runs inside the coordinator's
 * atomic {@link KeyOperation}, classifies what the key holds, lets the operation decide, and
 * records what happened for the events, statistics and handle releases that follow once the
 * update has taken effect.
 *
 * <p>What the key holds is one of: nothing (or a tombstone, or siblings that resolve to nothing):
 * absent; a record whose expiry has passed: <i>expired</i>, reported as an EXPIRED event and
 * removed (unless the operation replaces it), exactly as if the engine had found it expired; or a
 * live record: <i>present</i>, whose value is decoded (and its siblings resolved) only when the
 * operation asks for it.
 *
 * <p>A step is a {@link DirectOperation}, which the coordinator gives the engine as it is, and
 * its own {@link Mutation.Write}: a put allocates neither a wrapper nor a mutation object.
 *
 * <p>The wall clock is read at most once per operation, and only if something needs it (a record
 * with an expiry, or an expiry policy that is not eternal).
 *
 * <p>Thread-safety: not thread-safe; one instance serves one operation on one thread. The
 * coordinator calls {@link #apply} once per update; {@code apply} resets its outcome first, so a
 * repeated call starts afresh.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
abstract class KeyStep<K, V> extends DirectOperation implements Mutation.Write {
  private static final long NOT_READ = Long.MIN_VALUE;

  final KeyspaceCache<K, V> cache;
  final K key;
  final EventBatch<K, V> batch;
  // the batch's size when this step began: its own events come after
  private final int batchMark;

  // outcome, reset by apply()
  private long nowMillis = NOT_READ;
  /** The current record if it is live (present, or siblings that may resolve to nothing). */
  @Nullable StoredRecord live;
  /** Whether a live value was present. */
  boolean present;
  /** The record the mutation replaced or deleted (its values are released in by-reference caches). */
  @Nullable StoredRecord displaced;
  /** The value bytes the mutation writes, if it writes. */
  @Nullable Bytes written;
  /** The expiry of what the mutation writes, if it writes. */
  private long writtenExpiresAtMillis;
  /** Value bytes this step encoded itself (a loaded or processed value), stored or not. */
  @Nullable Bytes encodedHere;
  private @Nullable StoredRecord expired;
  private @Nullable V presentValue;
  private boolean presentDecoded;

  KeyStep(KeyspaceCache<K, V> cache, K key, EventBatch<K, V> batch) {
    this.cache = cache;
    this.key = key;
    this.batch = batch;
    this.batchMark = batch.size();
  }

  /**
   * Forgets the events this step recorded: its update did not take effect (the engine refused the
   * write, or the step threw). The batch may hold earlier steps' events (bulk operations share one).
   */
  final void discardEvents() {
    batch.truncate(batchMark);
  }

  @Override
  public final Mutation apply(@Nullable StoredRecord current) {
    discardEvents(); // a repeated run records its events afresh
    nowMillis = NOT_READ;
    live = null;
    present = false;
    displaced = null;
    written = null;
    writtenExpiresAtMillis = StoredRecord.NEVER;
    encodedHere = null;
    expired = null;
    presentValue = null;
    presentDecoded = false;
    reset();
    if (current != null && !current.isTombstone()) {
      if (current.hasExpiry() && current.isExpiredAt(now())) {
        expired = current;
        batch.expired(key, cache.wantsExpiredValues() ? cache.values.valueOf(current) : null);
      } else {
        live = current;
        present = !current.hasSiblings() || presentValue() != null;
      }
    }
    Mutation mutation = decide(current);
    if (expired != null && !(mutation instanceof Mutation.Write)) {
      mutation = Mutation.DELETE;
    }
    if (mutation == Mutation.DELETE || mutation instanceof Mutation.Write) {
      displaced = current;
    }
    return mutation;
  }

  /** Clears the subclass's outcome before a (repeated) decision. */
  abstract void reset();

  /**
   * What to do with the key, given the classification made by {@link #apply}. An expired record
   * is deleted whatever this returns, unless it returns a write.
   */
  abstract Mutation decide(@Nullable StoredRecord current);

  /** The wall time of this operation, read once. */
  final long now() {
    if (nowMillis == NOT_READ) {
      nowMillis = cache.clock.millis();
    }
    return nowMillis;
  }

  /** The present value, decoded (and resolved) on first use; null if absent. */
  final @Nullable V presentValue() {
    if (!presentDecoded) {
      presentDecoded = true;
      presentValue = live == null ? null : cache.values.valueOf(live);
    }
    return presentValue;
  }

  /** The present record's stored value bytes (its only sibling's), or null if it has siblings. */
  final @Nullable Bytes presentBytes() {
    StoredRecord record = live;
    return record == null ? null : record.soleValue();
  }

  /**
   * The mutation that stores {@code valueBytes} for a present entry ({@code update}) or an absent
   * one, with the expiry the policy gives, or {@code null} if a created entry expires at once (and
   * so is not stored at all).
   */
  final Mutation.@Nullable Write store(Bytes valueBytes, boolean update) {
    if (update) {
      long millis = cache.expiry.updateMillis();
      StoredRecord record = live;
      long expiresAt = millis == ExpiryCalculator.UNCHANGED
          ? (record == null ? StoredRecord.NEVER : record.expiresAtMillis())
          : ExpiryCalculator.expiresAt(millis, now());
      return written(valueBytes, expiresAt);
    }
    long millis = cache.expiry.creationMillis();
    if (millis == 0) {
      return null;
    }
    return written(valueBytes, ExpiryCalculator.expiresAt(millis, now()));
  }

  /** This step as the write of {@code valueBytes} (a step is its own {@link Mutation.Write}: one object less per write). */
  private Mutation.Write written(Bytes valueBytes, long expiresAtMillis) {
    written = valueBytes;
    writtenExpiresAtMillis = expiresAtMillis;
    return this;
  }

  /** The bytes this step writes ({@link Mutation.Write}); only asked after {@link #store} returned this step. */
  @Override
  public final Bytes value() {
    return Objects.requireNonNull(written, "written");
  }

  /** The expiry of what this step writes ({@link Mutation.Write}). */
  @Override
  public final long expiresAtMillis() {
    return writtenExpiresAtMillis;
  }

  /** Encodes a value this step produced itself (loaded, or set by a processor). */
  final Bytes encode(V value) {
    Bytes bytes = cache.codec.encodeValue(value);
    encodedHere = bytes;
    return bytes;
  }

  /** The mutation for an access of the present entry: a new expiry if the policy gives one. */
  final Mutation access() {
    long millis = cache.expiry.accessMillis();
    if (millis == ExpiryCalculator.UNCHANGED) {
      return Mutation.KEEP;
    }
    return Mutation.touch(ExpiryCalculator.expiresAt(millis, now()));
  }
}
