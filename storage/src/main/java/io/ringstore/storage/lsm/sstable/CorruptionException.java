package io.ringstore.storage.lsm.sstable;

import io.ringstore.spi.RingstoreException;
import org.jspecify.annotations.Nullable;

/**
 * Stored bytes failed a check: a checksum, a bound, a length, an order, a magic number or a
 * version. The bytes are never served as data.
 *
 * <p>The message names the structure (e.g. {@code "data block"}, {@code "footer"}), the byte offset
 * where the bad item starts and what was wrong, including both checksums when one fails. The
 * offset is relative to the input the decoder was given until {@link #locatedIn(String, long)}
 * turns it into an offset in a named file, as the table reader does.
 *
 * <p>Unchecked, like every Ringstore storage error, so that it passes through iterators and
 * lambdas; the provider translates it into a {@code CacheException} at its edge.
 *
 * <p>Thread-safety: immutable.
 */
public class CorruptionException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  private final String structure;
  private final long offset;
  private final @Nullable String file;
  private final String detail;

  /**
   * A corruption in {@code structure} at byte {@code offset} of the decoded input.
   *
   * @param detail what was wrong, with the values found and the bound they broke
   */
  public CorruptionException(String structure, long offset, String detail) {
    this(structure, offset, null, detail, null);
  }

  private CorruptionException(String structure, long offset, @Nullable String file, String detail,
      @Nullable Throwable cause) {
    super(structure + " is corrupt at offset " + offset + (file == null ? "" : " of file " + file) + ": " + detail,
        cause);
    this.structure = structure;
    this.offset = offset;
    this.file = file;
    this.detail = detail;
  }

  /**
   * The same corruption placed in a file: the structure started at {@code baseOffset} of
   * {@code file}, so the new offset is {@code baseOffset + offset()}. This exception is the cause.
   */
  public CorruptionException locatedIn(String file, long baseOffset) {
    return new CorruptionException(structure, baseOffset + offset, file, detail, this);
  }

  /** The structure that failed its check, e.g. {@code "data block"} or {@code "footer"}. */
  public String structure() {
    return structure;
  }

  /** Where the bad item starts: in the decoder's input, or in {@link #file()} when it is set. */
  public long offset() {
    return offset;
  }

  /** What was wrong, without the structure, offset and file. */
  public String detail() {
    return detail;
  }

  /** The file the offset refers to, or {@code null} if the offset is in the decoder's input. */
  public @Nullable String file() {
    return file;
  }
}
