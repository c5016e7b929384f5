package io.ringstore.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The application's answer to concurrent writes: given the siblings of one key (values written
 * concurrently, none of which saw the others), it returns the one value the cache should hold.
 * A shopping cart merges its siblings; a counter adds them; the default keeps the newest.
 *
 * <p>Called on the reading node, with the values already decoded. The result replaces all the
 * given siblings (it is written back as their descendant). Returning {@code null} deletes the
 * key. The list has at least two elements; a sibling whose value is {@code null} records a
 * concurrent delete.
 *
 * <p>Thread-safety: implementations must be thread-safe and should not block.
 *
 * @param <V> the cache's value type
 */
@FunctionalInterface
public interface SiblingResolver<V> {

  /** The one value that replaces {@code siblings}, or {@code null} to delete the key. */
  @Nullable V resolve(List<Version<V>> siblings);

  /**
   * One sibling as a resolver sees it.
   *
   * @param value the decoded value, or {@code null} for a concurrent delete
   * @param timestamp the hybrid-logical-clock timestamp of the write
   * @param writer the id of the node that made the version: the key's primary, which committed the write
   */
  record Version<V>(@Nullable V value, long timestamp, String writer) {}

  /**
   * Last write wins: the sibling with the greatest hybrid-logical-clock timestamp, ties broken by
   * the greater writer node id. Concurrent writes other than the winner are lost; Ringstore
   * counts every discarded sibling in the cache's statistics.
   */
  @SuppressWarnings("unchecked")
  static <V> SiblingResolver<V> lastWriteWins() {
    return (SiblingResolver<V>) LastWriteWins.INSTANCE;
  }

  /** The resolver behind {@link #lastWriteWins()}. */
  final class LastWriteWins implements SiblingResolver<Object> {
    static final LastWriteWins INSTANCE = new LastWriteWins();

    private LastWriteWins() {}

    @Override
    public @Nullable Object resolve(List<Version<Object>> siblings) {
      Version<Object> best = siblings.get(0);
      for (int i = 1; i < siblings.size(); i++) {
        Version<Object> v = siblings.get(i);
        if (v.timestamp() > best.timestamp()
            || (v.timestamp() == best.timestamp() && v.writer().compareTo(best.writer()) > 0)) {
          best = v;
        }
      }
      return best.value();
    }

    @Override
    public String toString() {
      return "SiblingResolver.lastWriteWins()";
    }
  }
}
