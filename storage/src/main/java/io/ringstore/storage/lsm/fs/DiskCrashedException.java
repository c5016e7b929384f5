package io.ringstore.storage.lsm.fs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown by every use (except {@code close()}) of a file handle that was opened before a simulated
 * crash or process kill of a {@link FaultInjectionDisk}: that handle belonged to the process
 * that died, so it must never touch the files of the one that restarted. Reopen the file.
 *
 * <p>Thread-safety: immutable after construction.
 */
public final class DiskCrashedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A stale handle on {@code path}, opened before crash number {@code crash} (1-based). */
  public DiskCrashedException(Path path, long crash) {
    super("file handle for " + path + " was opened before simulated crash #" + crash
        + "; the process that opened it is dead, reopen the file");
  }
}
