package io.ringstore.storage.lsm.wal;

import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.storage.lsm.ForwardingDisk;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Disk} whose file syncs, once {@link #holdSyncsUntilAppends armed}, wait until a number
 * of appends have happened: a slow fsync made deterministic, so that a group-commit test knows
 * every writer is queued behind the first fsync. Thread-safety: thread-safe.
 */
final class GatedDisk extends ForwardingDisk {
  private volatile CountDownLatch appends = new CountDownLatch(0);

  GatedDisk(Disk delegate) {
    super(delegate);
  }

  /** From now on, a sync waits until {@code count} more appends have returned. */
  void holdSyncsUntilAppends(int count) {
    appends = new CountDownLatch(count);
  }

  @Override
  public WritableFile create(Path path) throws IOException {
    return new Gated(delegate.create(path));
  }

  @Override
  public WritableFile openForAppend(Path path) throws IOException {
    return new Gated(delegate.openForAppend(path));
  }

  private final class Gated implements WritableFile {
    private final WritableFile file;

    Gated(WritableFile file) {
      this.file = file;
    }

    @Override
    public Path path() {
      return file.path();
    }

    @Override
    public void append(ByteBuffer source) throws IOException {
      file.append(source);
      appends.countDown();
    }

    @Override
    public void sync() throws IOException {
      try {
        if (!appends.await(30, TimeUnit.SECONDS)) {
          throw new IOException("test gate: the expected appends did not arrive within 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted at the test gate");
      }
      file.sync();
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
      file.truncate(sizeBytes);
    }

    @Override
    public long sizeBytes() {
      return file.sizeBytes();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
