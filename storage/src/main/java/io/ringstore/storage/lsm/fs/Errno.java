package io.ringstore.storage.lsm.fs;

/**
 * The operating-system errors {@link FaultInjectionDisk} injects, with the text Linux gives
 * for them (which is what a real {@link java.io.IOException} from {@code FileChannel} says).
 *
 * <p>Thread-safety: immutable.
 */
public enum Errno {
  /** The disk is full. */
  ENOSPC("No space left on device"),
  /** The device failed the request. */
  EIO("Input/output error");

  private final String message;

  Errno(String message) {
    this.message = message;
  }

  /** The error's text, as {@code strerror(3)} gives it on Linux. */
  public String message() {
    return message;
  }
}
