package io.ringstore.provider;

import io.ringstore.cluster.replication.DirectOperation;
import io.ringstore.cluster.replication.KeyOperation;
import io.ringstore.cluster.replication.Mutation;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * {@code put(key, value)} where nothing can tell a create from an update and nothing runs inside
 * the write: a store-by-value cache with the exact eternal expiry policy, no writer, and no
 * listener (its operation got the shared no-op event batch). Such a put of a key that holds
 * nothing, a tombstone or one value without an expiry always stores its value with no expiry,
 * fires no event and calls nothing of the user's: the same decision as a {@link KeyWrite} of kind
 * {@code PUT}, without its state. This step holds only the value bytes and is its own
 * {@link Mutation.Write}, so a put allocates one 24-byte object besides its key and value bytes
 * instead of a {@code KeyWrite}.
 *
 * <p>Anything else the key may hold -- siblings (to resolve), a record with an expiry (which may
 * have passed, or is kept by the update) -- is not decided here: the step keeps the record as it
 * is ({@link Mutation#KEEP}, no change) and reports {@link #deferred()}, and the caller runs the
 * put again as a {@code KeyWrite}, which decides it exactly as every other put. In an eternal
 * cache those records are rare (siblings come from the extended API's context writes, expiries
 * from a persistent keyspace written under another policy).
 *
 * <p>It is {@linkplain KeyOperation#blind() blind}, as {@link KeyWrite#blind()} says such a put
 * is: a replicated cache hands it no record, and it writes.
 *
 * <p>Thread-safety: not thread-safe; one instance serves one operation on one thread. The
 * coordinator may call {@link #apply} more than once; each call decides afresh.
 */
final class KeyPlainPut extends DirectOperation implements Mutation.Write {
  private final Bytes valueBytes;
  private boolean deferred;

  KeyPlainPut(Bytes valueBytes) {
    this.valueBytes = valueBytes;
  }

  @Override
  public boolean blind() {
    return true;
  }

  @Override
  public Mutation apply(@Nullable StoredRecord current) {
    deferred = current != null && !current.isTombstone() && (current.hasSiblings() || current.hasExpiry());
    return deferred ? Mutation.KEEP : this;
  }

  /** Whether the last {@link #apply} left the key as it was, for the caller to put as a {@link KeyWrite}. */
  boolean deferred() {
    return deferred;
  }

  /** The value bytes ({@link Mutation.Write}). */
  @Override
  public Bytes value() {
    return valueBytes;
  }

  /** The expiry of the write ({@link Mutation.Write}): never, as the eternal policy gives. */
  @Override
  public long expiresAtMillis() {
    return StoredRecord.NEVER;
  }
}
