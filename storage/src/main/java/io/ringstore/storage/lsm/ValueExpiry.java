package io.ringstore.storage.lsm;

/**
 * Tells compaction when a stored value expires, so that it can drop expired entries. The store
 * treats values as opaque bytes; the layer above (the {@code lsm} storage engine, whose values are
 * encoded records) knows where their expiry is.
 *
 * <p>Thread-safety: implementations must be thread-safe (compaction runs on a background thread).
 */
@FunctionalInterface
public interface ValueExpiry {

  /** Values never expire. */
  ValueExpiry NEVER = (value, offset, length) -> Long.MAX_VALUE;

  /**
   * The epoch millisecond at which the value in {@code value[offset, offset+length)} expires, or
   * {@link Long#MAX_VALUE} if never. A value it cannot read is kept (return {@link Long#MAX_VALUE}):
   * compaction must never drop data because of a decoding problem.
   */
  long expiresAtMillis(byte[] value, int offset, int length);
}
