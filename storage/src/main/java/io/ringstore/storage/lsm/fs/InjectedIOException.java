package io.ringstore.storage.lsm.fs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An I/O error that {@link FaultInjectionDisk} injected on purpose. Its message says so, and
 * names the error, the operation, the path and the rule that fired, for example
 * {@code "injected fault: EIO (Input/output error) on SYNC of /data/000004.log (rule: SYNC #3)"}.
 *
 * <p>Thread-safety: immutable after construction.
 */
public final class InjectedIOException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Errno errno;
  private final FileOp op;
  private final Path path;

  /** An injected {@code errno} on {@code op} of {@code path}; {@code detail} says which rule fired. */
  public InjectedIOException(Errno errno, FileOp op, Path path, String detail) {
    super("injected fault: " + errno + " (" + errno.message() + ") on " + op + " of " + path + " (" + detail + ")");
    this.errno = errno;
    this.op = op;
    this.path = path;
  }

  /** The injected error. */
  public Errno errno() {
    return errno;
  }

  /** The operation that failed. */
  public FileOp op() {
    return op;
  }

  /** The file or directory the operation was on. */
  public Path path() {
    return path;
  }
}
