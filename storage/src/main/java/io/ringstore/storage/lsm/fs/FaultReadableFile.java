package io.ringstore.storage.lsm.fs;

import io.ringstore.spi.env.ReadableFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;

/**
 * A {@link ReadableFile} of {@link FaultInjectionDisk}: reads can be failed by rules on
 * {@link FileOp#READ}, and the handle dies at a crash.
 *
 * <p>Thread-safety: thread-safe.
 */
final class FaultReadableFile extends FaultHandle implements ReadableFile {
  private final ReadableFile target;

  FaultReadableFile(FaultInjectionDisk fs, Path path, ReadableFile target, long epoch) {
    super(fs, path, epoch);
    this.target = target;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public int read(long positionBytes, ByteBuffer destination) throws IOException {
    Lock shared = live();
    try {
      fs.rules().check(FileOp.READ, path);
      return target.read(positionBytes, destination);
    } finally {
      shared.unlock();
    }
  }

  @Override
  public long sizeBytes() throws IOException {
    Lock shared = live();
    try {
      return target.sizeBytes();
    } finally {
      shared.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    closeHandle();
  }

  @Override
  ReadableFile target() {
    return target;
  }
}
