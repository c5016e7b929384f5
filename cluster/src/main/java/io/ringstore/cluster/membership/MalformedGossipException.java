package io.ringstore.cluster.membership;

import io.ringstore.spi.RingstoreException;

/**
 * Bytes that are not a gossip frame of {@code docs/formats/gossip.md}: the message says what was
 * wrong and at which offset of the frame. The only exception {@link GossipCodec#decode} throws for
 * bad input; the gossiper drops such a frame, counts it and logs the sender.
 *
 * <p>Thread-safety: immutable.
 */
public class MalformedGossipException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /** A frame that is wrong at {@code offset} because of {@code problem}. */
  public MalformedGossipException(String problem, int offset) {
    super("malformed gossip frame: " + problem + " (at offset " + offset + ")");
    this.offset = offset;
  }

  /** The offset, from the frame's first byte, where the problem was found. */
  public int offset() {
    return offset;
  }
}
