package io.ringstore.provider.configuration;

import javax.cache.CacheException;
import org.jspecify.annotations.Nullable;

/**
 * A configuration file that cannot be used: missing, not YAML, or holding an unknown key or a bad
 * value. {@code getCacheManager(uri, ...)} throws it, and no manager is made.
 *
 * <p>The message starts with the file's URI and, when the problem has a place, its line and column
 * (1-based), then names the key path and, for a bad value, the value and the allowed range:
 * {@code file:/etc/app/ringstore.yaml line 9, column 18: caches.orders.max-entries = 0 is out of
 * range; need >= 1}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ConfigurationFileException extends CacheException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int column;
  private final String keyPath;

  /**
   * An error at a place in the file.
   *
   * @param source the file's URI as the application gave it
   * @param line 1-based line, or 0 if the error has no place in the file
   * @param column 1-based column, or 0 if unknown
   * @param keyPath the dotted key path, or empty
   * @param detail what is wrong
   * @param cause the underlying error, if any
   */
  ConfigurationFileException(String source, int line, int column, String keyPath, String detail, @Nullable Throwable cause) {
    super(where(source, line, column) + ": " + detail, cause);
    this.source = source;
    this.line = line;
    this.column = column;
    this.keyPath = keyPath;
  }

  /** {@code <source> line L, column C}, or just the source without a place. */
  static String where(String source, int line, int column) {
    if (line <= 0) {
      return source;
    }
    return source + " line " + line + (column > 0 ? ", column " + column : "");
  }

  /** The file's URI as the application gave it (for {@code classpath:} also the resource found). */
  public String source() {
    return source;
  }

  /** The 1-based line of the problem, or 0 if it has no place in the file. */
  public int line() {
    return line;
  }

  /** The 1-based column of the problem, or 0 if unknown. */
  public int column() {
    return column;
  }

  /** The dotted key path, such as {@code caches.orders.max-entries}, or empty. */
  public String keyPath() {
    return keyPath;
  }
}
