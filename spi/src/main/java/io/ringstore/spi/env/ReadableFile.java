package io.ringstore.spi.env;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An open file for positional reads (SSTable blocks, WAL replay, the manifest).
 *
 * <p>Thread-safety: thread-safe; concurrent positional reads do not interfere.
 */
public interface ReadableFile extends Closeable {

  /** The path this handle was opened with. */
  Path path();

  /**
   * Reads up to {@code destination.remaining()} bytes starting at byte {@code positionBytes} of the
   * file into {@code destination}.
   *
   * @return the number of bytes read, or -1 if {@code positionBytes} is at or past the end
   */
  int read(long positionBytes, ByteBuffer destination) throws IOException;

  /**
   * Fills {@code destination} from byte {@code positionBytes} of the file.
   *
   * @throws EOFException naming the path, the offset and the file size if the file ends first
   */
  default void readFully(long positionBytes, ByteBuffer destination) throws IOException {
    int wanted = destination.remaining();
    long position = positionBytes;
    while (destination.hasRemaining()) {
      int read = read(position, destination);
      if (read < 0) {
        throw new EOFException(path() + ": wanted " + wanted + " bytes at offset " + positionBytes
            + " but the file ends at " + sizeBytes() + " bytes");
      }
      position += read;
    }
  }

  /** The file's current length in bytes. */
  long sizeBytes() throws IOException;

  /** Closes the handle. Idempotent. */
  @Override
  void close() throws IOException;
}
