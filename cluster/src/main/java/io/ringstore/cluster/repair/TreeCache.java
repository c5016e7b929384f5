package io.ringstore.cluster.repair;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.env.Ticker;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The trees a replica built to answer the requests of anti-entropy exchanges, kept for the few
 * round trips of one exchange so that its engine is scanned once per exchange, not once per
 * level: at most {@code maxTrees} (the least recently used goes first), each dropped when its
 * exchange asks for keys (the descent is over), or {@code maxIdle} after it was last used.
 *
 * <p>Thread-safety: thread-safe (one lock; a tree is built outside it, so two requests of one
 * exchange that race may both build, and the last one kept).
 */
public final class TreeCache {
  /** Trees kept by default: a few exchanges at once, each at most 1 MiB ({@link MerkleTree#MAX_DEPTH}). */
  public static final int DEFAULT_MAX_TREES = 8;
  /** How long an unused tree is kept by default. */
  public static final Duration DEFAULT_MAX_IDLE = Duration.ofSeconds(60);

  /**
   * What a tree is kept under: the exchange ({@code origin}'s number {@code exchange}) and the
   * keyspace, scope and depth it was asked for.
   */
  public record Key(String keyspace, String origin, long exchange, TokenRanges scope, int depth) {
    public Key {
      requireNonNull(keyspace, "keyspace");
      requireNonNull(origin, "origin");
      requireNonNull(scope, "scope");
    }
  }

  private final Ticker ticker;
  private final int maxTrees;
  private final long maxIdleNanos;
  // access order: the eldest is the least recently used; guarded by this
  private final LinkedHashMap<Key, Entry> trees = new LinkedHashMap<>(16, 0.75f, true);

  private record Entry(MerkleTree tree, long usedAtNanos) {}

  public TreeCache(Ticker ticker, int maxTrees, Duration maxIdle) {
    this.ticker = requireNonNull(ticker, "ticker");
    if (maxTrees < 1) {
      throw new IllegalArgumentException("maxTrees = " + maxTrees + " is out of range; need >= 1");
    }
    if (maxIdle.isNegative() || maxIdle.isZero()) {
      throw new IllegalArgumentException("maxIdle = " + maxIdle + " is out of range; need > 0");
    }
    this.maxTrees = maxTrees;
    this.maxIdleNanos = maxIdle.toNanos();
  }

  /** A cache with the defaults. */
  public TreeCache(Ticker ticker) {
    this(ticker, DEFAULT_MAX_TREES, DEFAULT_MAX_IDLE);
  }

  /** The tree kept under {@code key}, else the one {@code build} makes, which is then kept. */
  public MerkleTree get(Key key, Supplier<MerkleTree> build) {
    long now = ticker.nanos();
    synchronized (this) {
      evictIdle(now);
      Entry entry = trees.get(key);
      if (entry != null) {
        trees.put(key, new Entry(entry.tree(), now));
        return entry.tree();
      }
    }
    MerkleTree tree = build.get();
    synchronized (this) {
      trees.put(key, new Entry(tree, ticker.nanos()));
      while (trees.size() > maxTrees) {
        Iterator<Key> eldest = trees.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
    }
    return tree;
  }

  /** Drops the trees of {@code origin}'s exchange {@code exchange} of {@code keyspace}. */
  public synchronized void release(String keyspace, String origin, long exchange) {
    trees.keySet().removeIf(k -> k.exchange() == exchange && k.origin().equals(origin) && k.keyspace().equals(keyspace));
    evictIdle(ticker.nanos());
  }

  /** Drops every tree of {@code keyspace} (it was cleared or dropped). */
  public synchronized void releaseAll(String keyspace) {
    trees.keySet().removeIf(k -> k.keyspace().equals(keyspace));
  }

  /** The number of trees kept now. */
  public synchronized int size() {
    evictIdle(ticker.nanos());
    return trees.size();
  }

  /** The tree kept under {@code key}, without building one. */
  public synchronized @Nullable MerkleTree peek(Key key) {
    Entry entry = trees.get(key);
    return entry == null ? null : entry.tree();
  }

  private void evictIdle(long now) {
    for (Iterator<Map.Entry<Key, Entry>> it = trees.entrySet().iterator(); it.hasNext(); ) {
      if (now - it.next().getValue().usedAtNanos() >= maxIdleNanos) {
        it.remove();
      }
    }
  }
}
