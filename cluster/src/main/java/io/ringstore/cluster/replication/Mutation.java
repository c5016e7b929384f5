package io.ringstore.cluster.replication;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.VectorClock;
import org.jspecify.annotations.Nullable;

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

  /**
   * A write of {@code value} made by someone who had seen {@code context} (the extended API's
   * {@code put(k, v, context)}): it replaces only the versions {@code context} covers; the others
   * stay as siblings.
   */
  static Mutation write(Bytes value, long expiresAtMillis, VectorClock context) {
    return new ContextWrite(value, expiresAtMillis, context);
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

    /**
     * The causal context the write was made with, or {@code null} for a plain write, which
     * descends every version the coordinator holds.
     */
    default @Nullable VectorClock context() {
      return null;
    }
  }

  /** See {@link #write}. */
  record Value(Bytes value, long expiresAtMillis) implements Write {
    public Value {
      requireNonNull(value, "value");
    }
  }

  /** See {@link #write(Bytes, long, VectorClock)}. */
  record ContextWrite(Bytes value, long expiresAtMillis, VectorClock context) implements Write {
    public ContextWrite {
      requireNonNull(value, "value");
      requireNonNull(context, "context");
    }
  }

  /** See {@link #touch}. */
  record Touch(long expiresAtMillis) implements Mutation {}
}
