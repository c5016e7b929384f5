package io.ringstore.cluster.vertx;

import io.ringstore.spi.RingstoreException;

/**
 * Bytes on a cluster-channel connection that are not a frame of
 * {@code docs/formats/cluster-channel.md}: the message names the field, its value and the bound,
 * and the offset of the frame in the connection's stream. The only exception
 * {@link FrameDecoder#feed} throws for bad input; the channel then closes the connection.
 *
 * <p>Thread-safety: immutable.
 */
final class MalformedFrameException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  /** A frame starting at {@code streamOffset} of the connection that is wrong because of {@code problem}. */
  MalformedFrameException(String problem, long streamOffset) {
    super("malformed cluster channel frame: " + problem + " (frame at stream offset " + streamOffset + ")");
  }
}
