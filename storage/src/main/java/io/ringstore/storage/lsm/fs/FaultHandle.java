package io.ringstore.storage.lsm.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;

/**
 * A file handle of {@link FaultInjectionDisk} that dies with the simulated process: every
 * operation first checks that no crash or process kill happened since it was opened.
 *
 * <p>Thread-safety: thread-safe.
 */
abstract class FaultHandle {

  private static final System.Logger LOG = System.getLogger(FaultHandle.class.getName());

  final FaultInjectionDisk fs;
  final Path path;
  /** The file system's crash count when this handle was opened. */
  final long epoch;
  private volatile boolean closed;

  FaultHandle(FaultInjectionDisk fs, Path path, long epoch) {
    this.fs = fs;
    this.path = path;
    this.epoch = epoch;
  }

  /** Takes the file system's shared lock and checks the handle is alive; the caller unlocks. */
  final Lock live() throws IOException {
    Lock shared = fs.shared();
    if (epoch != fs.crashes()) {
      shared.unlock();
      throw new DiskCrashedException(path, epoch + 1);
    }
    if (closed) {
      shared.unlock();
      throw new IOException(path + ": the file handle is closed");
    }
    return shared;
  }

  /** Closes the wrapped handle unless a crash already did. Idempotent. */
  final void closeHandle() throws IOException {
    Lock shared = fs.shared();
    try {
      if (closed) {
        return;
      }
      closed = true;
      fs.forget(this);
      if (epoch == fs.crashes()) {
        target().close();
      }
    } finally {
      shared.unlock();
    }
  }

  /** Closes the wrapped handle at a crash, logging a failure (the crash goes on). */
  final void closeAtCrash() {
    try {
      target().close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing " + path + " at a simulated crash failed", e);
    }
  }

  /** The wrapped handle. */
  abstract java.io.Closeable target();
}
