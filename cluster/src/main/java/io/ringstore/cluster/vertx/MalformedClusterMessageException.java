package io.ringstore.cluster.vertx;

import io.ringstore.spi.RingstoreException;

/**
 * Bytes that are not what {@code docs/formats/cluster-channel.md} describes: a registry or
 * shared-data change ({@link Change#readFrom}), a join snapshot, or a cluster-map value
 * ({@link ClusterValueCodec#decode}) that is cut short, has an unknown kind or tag, a length that
 * runs past its frame, text that is not UTF-8 or JSON, or a value whose class cannot be rebuilt
 * (unknown, not allowed, or failing in its own {@code readFromBuffer}). The message says what was
 * wrong and at which offset. The only exception those decoders throw for bad input.
 *
 * <p>Thread-safety: immutable.
 */
public class MalformedClusterMessageException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /** Bytes that are wrong at {@code offset} because of {@code problem}. */
  public MalformedClusterMessageException(String problem, int offset) {
    super("malformed cluster message: " + problem + " (at offset " + offset + ")");
    this.offset = offset;
  }

  /** Bytes that are wrong at {@code offset} because of {@code problem}, found through {@code cause}. */
  public MalformedClusterMessageException(String problem, int offset, Throwable cause) {
    super("malformed cluster message: " + problem + " (at offset " + offset + ")", cause);
    this.offset = offset;
  }

  /** The offset, from the start of the decoded bytes, where the problem was found. */
  public int offset() {
    return offset;
  }
}
