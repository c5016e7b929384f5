package io.ringstore.cluster.wire;

import io.ringstore.spi.RingstoreException;

/**
 * Bytes that are not a replica protocol message in {@link WireCodec}'s format: the message says
 * what was wrong and at which offset of the frame. The receiver drops the frame and reports it with
 * the peer it came from; nothing of such a frame is applied.
 *
 * <p>Thread-safety: immutable.
 */
public class MalformedMessageException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  public MalformedMessageException(String message, int offset) {
    super(message + " (at offset " + offset + ")");
    this.offset = offset;
  }

  public MalformedMessageException(String message, int offset, Throwable cause) {
    super(message + " (at offset " + offset + ")", cause);
    this.offset = offset;
  }

  /** The offset, from the start of the frame, where the problem was found. */
  public int offset() {
    return offset;
  }
}
