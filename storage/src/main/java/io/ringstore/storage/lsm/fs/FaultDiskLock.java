package io.ringstore.storage.lsm.fs;

import io.ringstore.spi.env.DiskLock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link DiskLock} of {@link FaultInjectionDisk}: it wraps the real lock and is released when
 * the simulated process dies (a crash or process kill closes it), so the restarted engine can lock
 * the same file again.
 *
 * <p>Thread-safety: thread-safe.
 */
final class FaultDiskLock extends FaultHandle implements DiskLock {
  private final DiskLock target;

  FaultDiskLock(FaultInjectionDisk fs, Path path, DiskLock target, long epoch) {
    super(fs, path, epoch);
    this.target = target;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public boolean isHeld() {
    return epoch == fs.crashes() && target.isHeld();
  }

  @Override
  public void close() throws IOException {
    closeHandle();
  }

  @Override
  DiskLock target() {
    return target;
  }
}
