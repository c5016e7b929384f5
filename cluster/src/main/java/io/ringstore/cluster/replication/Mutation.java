package io.ringstore.cluster.replication;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Bytes;

/**
 * What a {@link KeyOperation} decided to do with one key. The coordinator turns it into a new
 * version (a new dot on the key's vector clock) and replicates it.
 *
 * <p>Thread-safety: immutable, but for a {@link Write} that an operation implements itself, which
 * lives on the operation's thread only.
 */
public sealed interface Mutation {

  /** Leave the key as it is. */
  Mutation KEEP = new Keep();

  /** Delete the key (a tombstone that descends every version the operation saw). */
  Mutation DELETE = new Delete();

  /** A write of {@code value}, expiring at {@code expiresAtMillis} ({@code StoredRecord.NEVER} for never). */
  static Mutation write(Bytes value, long expiresAtMillis) {
    return new Value(value, expiresAtMillis);
  }

  /** Keep the value but change its absolute expiry (no new version; an access renewing the entry). */
  static Mutation touch(long expiresAtMillis) {
    return new Touch(expiresAtMillis);
  }

  /** See {@link #KEEP}. */
  record Keep() implements Mutation {}

  /** See {@link #DELETE}. */
  record Delete() implements Mutation {}

  /**
   * A write of {@link #value()}, expiring at {@link #expiresAtMillis()}: {@link #write} makes one
   * ({@link Value}). An operation on a hot path may implement this interface itself and return
   * itself, to save an object per write; it must then keep both answers unchanged until the
   * coordinator has made the version (the end of the update it returned them to).
   */
  non-sealed interface Write extends Mutation {
    /** The value bytes, never {@code null}. */
    Bytes value();

    /** The absolute expiry in wall millis, {@code StoredRecord.NEVER} for never. */
    long expiresAtMillis();
  }

  /** See {@link #write}. */
  record Value(Bytes value, long expiresAtMillis) implements Write {
    public Value {
      requireNonNull(value, "value");
    }
  }

  /** See {@link #touch}. */
  record Touch(long expiresAtMillis) implements Mutation {}
}
