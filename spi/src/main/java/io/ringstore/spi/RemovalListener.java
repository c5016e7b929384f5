package io.ringstore.spi;

/**
 * Told when an engine removes a record on its own (expiry or eviction), after the removal.
 * A removal caused by the engine's user (a compute returning {@code null}, {@code clear}) is not
 * reported.
 *
 * <p>Called on the thread that caused the removal, outside the engine's locks where the engine
 * can manage it. Must be fast, must not throw and must not call back into the same engine for the
 * same key.
 */
@FunctionalInterface
public interface RemovalListener {

  /** A listener that ignores everything. */
  RemovalListener NONE = (key, record, cause) -> {};

  /** {@code record} stored under {@code key} was removed for {@code cause}. */
  void onRemoval(Bytes key, StoredRecord record, RemovalCause cause);
}
