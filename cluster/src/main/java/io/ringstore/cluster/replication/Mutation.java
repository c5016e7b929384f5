package io.ringstore.cluster.replication;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Bytes;

/**
 * What a {@link KeyOperation} decided to do with one key. The coordinator turns it into a new
 * version (a new dot on the key's vector clock) and replicates it.
 *
 * <p>Thread-safety: immutable.
 */
public sealed interface Mutation {

  /** Leave the key as it is. */
  Mutation KEEP = new Keep();

  /** Delete the key (a tombstone that descends every version the operation saw). */
  Mutation DELETE = new Delete();

  /** A write of {@code value}, expiring at {@code expiresAtMillis} ({@code StoredRecord.NEVER} for never). */
  static Mutation write(Bytes value, long expiresAtMillis) {
    return new Write(value, expiresAtMillis);
  }

  /** Keep the value but change its absolute expiry (no new version; an access renewing the entry). */
  static Mutation touch(long expiresAtMillis) {
    return new Touch(expiresAtMillis);
  }

  /** See {@link #KEEP}. */
  record Keep() implements Mutation {}

  /** See {@link #DELETE}. */
  record Delete() implements Mutation {}

  /** See {@link #write}. */
  record Write(Bytes value, long expiresAtMillis) implements Mutation {
    public Write {
      requireNonNull(value, "value");
    }
  }

  /** See {@link #touch}. */
  record Touch(long expiresAtMillis) implements Mutation {}
}
