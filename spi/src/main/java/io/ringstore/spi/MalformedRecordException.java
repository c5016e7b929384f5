package io.ringstore.spi;

/**
 * Bytes that are not a {@link StoredRecord} in {@link RecordCodec}'s format: the message says what
 * was wrong and at which offset. Storage engines and the cluster transport report it with the file
 * or peer the bytes came from; it never stands for a wrong value being returned.
 */
public class MalformedRecordException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  public MalformedRecordException(String message, int offset) {
    super(message + " (at offset " + offset + ")");
    this.offset = offset;
  }

  public MalformedRecordException(String message, int offset, Throwable cause) {
    super(message + " (at offset " + offset + ")", cause);
    this.offset = offset;
  }

  /** The offset, from the start of the encoded record, where the problem was found. */
  public int offset() {
    return offset;
  }
}
