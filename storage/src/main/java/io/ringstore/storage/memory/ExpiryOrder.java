package io.ringstore.storage.memory;

import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * Volatile-TTL (as Redis's {@code volatile-ttl}): the entries that have an expiry, ordered by
 * expiry, soonest first (ties: the one inserted first). Entries without an expiry are not held
 * and so are never offered for eviction. O(log n) per insert, write and remove; reads change
 * nothing.
 *
 * <p>No-eviction uses the same order with {@link #takesOnlyExpired()}: when the store is full it
 * may still drop records whose expiry has passed (they are dead, only not yet met by a read), so
 * that expired records never make a write be refused.
 *
 * <p>A node is filed under the expiry it had when filed ({@link Node#filedExpiresAtMillis}), so
 * that it can be found again after its record has changed.
 *
 * <p>Thread-safety: not thread-safe; guarded by the store's lock.
 */
final class ExpiryOrder extends EvictionOrder {

  private static final Comparator<Node> SOONEST_FIRST =
      Comparator.<Node>comparingLong(n -> n.filedExpiresAtMillis).thenComparingLong(n -> n.sequence);

  // constant after construction
  private final boolean onlyExpired;

  // guarded by the store's lock
  private final TreeSet<Node> byExpiry = new TreeSet<>(SOONEST_FIRST);

  /** The volatile-TTL order, or when {@code onlyExpired} the no-eviction order. */
  ExpiryOrder(boolean onlyExpired) {
    this.onlyExpired = onlyExpired;
  }

  @Override
  boolean takesOnlyExpired() {
    return onlyExpired;
  }

  @Override
  void onInsert(Node node) {
    file(node);
  }

  @Override
  void onWrite(Node node) {
    long expiresAtMillis = node.record.expiresAtMillis();
    if (node.filed && node.record.hasExpiry() && node.filedExpiresAtMillis == expiresAtMillis) {
      return;
    }
    unfile(node);
    file(node);
  }

  @Override
  void onRead(Node node) {}

  @Override
  void remove(Node node) {
    unfile(node);
  }

  @Override
  boolean recordsReads() {
    return false;
  }

  @Override
  Iterator<Node> evictionCandidates() {
    return byExpiry.iterator();
  }

  private void file(Node node) {
    if (node.record.hasExpiry()) {
      node.filedExpiresAtMillis = node.record.expiresAtMillis();
      node.filed = true;
      byExpiry.add(node);
    }
  }

  private void unfile(Node node) {
    if (node.filed) {
      byExpiry.remove(node);
      node.filed = false;
    }
  }

  @Override
  void check(Collection<Node> live) {
    long expiring = 0;
    for (Node n : live) {
      if (n.record.hasExpiry()) {
        expiring++;
        if (!n.filed || n.filedExpiresAtMillis != n.record.expiresAtMillis() || !byExpiry.contains(n)) {
          throw new IllegalStateException("expiring node not filed under its expiry: " + n);
        }
      } else if (n.filed) {
        throw new IllegalStateException("node without expiry is filed: " + n);
      }
    }
    if (expiring != byExpiry.size()) {
      throw new IllegalStateException("expiry order holds " + byExpiry.size() + " nodes, store has " + expiring + " expiring");
    }
  }

  @Override
  public String toString() {
    return onlyExpired ? "NO_EVICTION" : "VOLATILE_TTL";
  }
}
