package io.ringstore.spi.env;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An open, append-only file. Bytes go to the operating system on every {@link #append} (there is
 * no buffer here: callers batch, as the WAL's group commit and the SSTable builder's blocks do),
 * and become durable on {@link #sync()}.
 *
 * <p>Invariants: {@link #sizeBytes()} is the length of the file as this handle knows it, equal to
 * the bytes present when it was opened plus every byte appended since, minus any
 * {@link #truncate}; each append's bytes are contiguous in the file.
 *
 * <p>Thread-safety: thread-safe. Appends are serialised with each other; {@link #sync()} may run
 * concurrently with appends and makes durable at least every byte whose append returned before
 * {@code sync()} was called.
 */
public interface WritableFile extends Closeable {

  /** The path this handle was opened with. */
  Path path();

  /**
   * Appends all remaining bytes of {@code source} (its position ends at its limit).
   *
   * @throws IOException naming the path; some prefix of the bytes may have been written (a disk
   *     that fills up mid-append writes what fits), so the caller must treat the file's tail as
   *     undefined after a failed append
   */
  void append(ByteBuffer source) throws IOException;

  /** Appends {@code length} bytes of {@code bytes} from {@code offset}; see {@link #append(ByteBuffer)}. */
  default void append(byte[] bytes, int offset, int length) throws IOException {
    append(ByteBuffer.wrap(bytes, offset, length));
  }

  /** Appends all of {@code bytes}; see {@link #append(ByteBuffer)}. */
  default void append(byte[] bytes) throws IOException {
    append(ByteBuffer.wrap(bytes));
  }

  /**
   * Makes every byte appended before this call durable (fdatasync: the file's data and the size
   * needed to read it back, not its directory entry; see {@link Disk#syncDirectory}).
   *
   * @throws IOException if the sync failed; then nothing is known to be durable past the previous
   *     successful sync, and a later successful sync does not change that (see {@link Disk})
   */
  void sync() throws IOException;

  /**
   * Cuts the file to {@code sizeBytes} (no larger than {@link #sizeBytes()}); later appends go
   * after it. Used by log recovery to drop a torn tail. Durable after the next {@link #sync()}.
   *
   * @throws IllegalArgumentException if {@code sizeBytes} is negative or past the end
   */
  void truncate(long sizeBytes) throws IOException;

  /** The file's length in bytes as this handle knows it (see the invariants). */
  long sizeBytes();

  /** Closes the handle without syncing. Idempotent. */
  @Override
  void close() throws IOException;
}
