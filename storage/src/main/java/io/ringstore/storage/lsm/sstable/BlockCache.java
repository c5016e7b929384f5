package io.ringstore.storage.lsm.sstable;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decoded data blocks shared by the {@link TableReader}s of one engine, bounded in bytes and
 * evicted least recently used first.
 *
 * <p>A block is keyed by the table's file id (which the engine gives each table file, and never
 * reuses while a block of it may be cached) and the block's file offset, and charged its decoded
 * size plus {@value #ENTRY_OVERHEAD_BYTES} bytes of bookkeeping. A block charged more than the
 * whole capacity is not cached. Only blocks that passed their checksum and decoding are cached,
 * so a cached block never needs checking again.
 *
 * <p>Invariant: {@link #usedBytes()} {@code <=} {@link #capacityBytes()} after every call returns.
 *
 * <p>Thread-safety: thread-safe. One lock guards the map; lookups and insertions are short (no
 * I/O or decoding under it). Two threads that miss on the same block both read it and the later
 * insertion replaces the earlier one, which is harmless (the blocks are equal).
 */
public final class BlockCache {
  /** The charge added to each block's size for its key, map entry and {@link Block} object. */
  public static final int ENTRY_OVERHEAD_BYTES = 96;

  /** A cache key: a table file and a block's offset in it. */
  private record Key(long fileId, long offsetBytes) {}

  // constant after construction
  private final long capacityBytes;

  private final Object lock = new Object();
  private final LinkedHashMap<Key, Block> blocks = new LinkedHashMap<>(64, 0.75f, true); // guarded by lock
  private long usedBytes; // guarded by lock
  private long hits; // guarded by lock
  private long misses; // guarded by lock
  private long evictions; // guarded by lock

  /**
   * A cache holding at most {@code capacityBytes} of charged blocks.
   *
   * @throws IllegalArgumentException if {@code capacityBytes < 0}
   */
  public BlockCache(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("blockCache.capacityBytes = " + capacityBytes
          + " bytes is out of range; need blockCache.capacityBytes >= 0 bytes");
    }
    this.capacityBytes = capacityBytes;
  }

  /** What the cache holds and has done, at one moment. Thread-safety: immutable. */
  public record Stats(long capacityBytes, long usedBytes, int blockCount, long hits, long misses, long evictions) {}

  /** The charge of {@code block}: its decoded size plus {@value #ENTRY_OVERHEAD_BYTES}. */
  public static long chargeOf(Block block) {
    return (long) block.sizeBytes() + ENTRY_OVERHEAD_BYTES;
  }

  public long capacityBytes() {
    return capacityBytes;
  }

  /** The bytes charged for the blocks held now. */
  public long usedBytes() {
    synchronized (lock) {
      return usedBytes;
    }
  }

  /** The block at {@code offsetBytes} of file {@code fileId}, or {@code null}; a hit makes it most recent. */
  public @Nullable Block get(long fileId, long offsetBytes) {
    synchronized (lock) {
      Block block = blocks.get(new Key(fileId, offsetBytes));
      if (block == null) {
        misses++;
      } else {
        hits++;
      }
      return block;
    }
  }

  /**
   * Caches {@code block} as the block at {@code offsetBytes} of file {@code fileId}, evicting the
   * least recently used blocks until it fits; does nothing if its charge exceeds the capacity.
   */
  public void put(long fileId, long offsetBytes, Block block) {
    long charge = chargeOf(block);
    if (charge > capacityBytes) {
      return;
    }
    synchronized (lock) {
      Block previous = blocks.put(new Key(fileId, offsetBytes), block);
      if (previous != null) {
        usedBytes -= chargeOf(previous);
      }
      usedBytes += charge;
      Iterator<Map.Entry<Key, Block>> eldest = blocks.entrySet().iterator();
      while (usedBytes > capacityBytes) {
        Block evicted = eldest.next().getValue(); // never the new block: it alone fits
        eldest.remove();
        usedBytes -= chargeOf(evicted);
        evictions++;
      }
    }
  }

  /** Drops every block of file {@code fileId} (when its table is deleted). */
  public void evictFile(long fileId) {
    synchronized (lock) {
      Iterator<Map.Entry<Key, Block>> it = blocks.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Key, Block> entry = it.next();
        if (entry.getKey().fileId() == fileId) {
          usedBytes -= chargeOf(entry.getValue());
          it.remove();
        }
      }
    }
  }

  public Stats stats() {
    synchronized (lock) {
      return new Stats(capacityBytes, usedBytes, blocks.size(), hits, misses, evictions);
    }
  }
}
