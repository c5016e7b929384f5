package io.ringstore.spi;

/**
 * The root of Ringstore's own unchecked exceptions below the JCache face. The provider translates
 * each into a {@code javax.cache.CacheException} (or the spec's subclass) once, at its edge,
 * keeping this exception as the cause.
 */
public class RingstoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RingstoreException(String message) {
    super(message);
  }

  public RingstoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
