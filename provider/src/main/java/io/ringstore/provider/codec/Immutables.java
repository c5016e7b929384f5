package io.ringstore.provider.codec;

/**
 * Which decoded objects may be shared by every reader of the same stored bytes: those of exactly
 * {@link String}, {@link Long} and {@link Integer}, which are immutable, keep their state in final
 * fields (safe to publish through a data race) and decode from the built-in codec to equal objects.
 * Handing the same such object to several readers cannot be told apart from handing each a copy,
 * so store-by-value semantics hold.
 *
 * <p>Thread-safety: stateless.
 */
final class Immutables {
  private Immutables() {}

  /** Whether objects of exactly this class may be shared as decoded values. */
  static boolean isImmutable(Class<?> type) {
    return type == String.class || type == Long.class || type == Integer.class;
  }
}
