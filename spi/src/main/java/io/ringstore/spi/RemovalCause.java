package io.ringstore.spi;

/** Why an engine removed a record on its own. */
public enum RemovalCause {
  /** The record's absolute expiry passed. */
  EXPIRED,
  /** The eviction policy chose the record to stay within the engine's bound. */
  EVICTED
}
