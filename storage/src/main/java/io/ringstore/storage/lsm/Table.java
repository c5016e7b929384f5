package io.ringstore.storage.lsm;

import io.ringstore.spi.Bytes;
import io.ringstore.storage.lsm.manifest.FileMeta;
import io.ringstore.storage.lsm.sstable.TableReader;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live table file of an {@link LsmStore}: its manifest entry and its open reader, with a
 * reference count. The store holds one reference while the table is in the current set of files;
 * each snapshot and iterator holds one while it may read it. When the count reaches zero the reader
 * is closed and the file (by then dropped from the manifest) is deleted.
 *
 * <p>A point read takes no reference: if the table is closed under it, the read is retried on the
 * store's newer file set (see {@link LsmStore#get}).
 *
 * <p>Thread-safety: thread-safe.
 */
final class Table {

  /** Called once when the last reference goes. */
  interface Obsolete {
    void release(Table table);
  }

  final FileMeta meta;
  final TableReader reader;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final Obsolete onObsolete;
  private volatile boolean closed;

  Table(FileMeta meta, TableReader reader, Obsolete onObsolete) {
    this.meta = meta;
    this.reader = reader;
    this.onObsolete = onObsolete;
  }

  long number() {
    return meta.fileNumber();
  }

  Bytes smallest() {
    return meta.smallestKey();
  }

  Bytes largest() {
    return meta.largestKey();
  }

  /** Whether {@code key} lies in the table's key range. */
  boolean covers(Bytes key) {
    return key.compareTo(meta.smallestKey()) >= 0 && key.compareTo(meta.largestKey()) <= 0;
  }

  /** Whether the table's key range meets {@code [from, to]}. */
  boolean overlaps(Bytes from, Bytes to) {
    return meta.largestKey().compareTo(from) >= 0 && meta.smallestKey().compareTo(to) <= 0;
  }

  /** Takes a reference, unless the table is already obsolete. */
  boolean tryAcquire() {
    while (true) {
      int now = refs.get();
      if (now == 0) {
        return false;
      }
      if (refs.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference; the last one closes the reader and deletes the file. */
  void release() {
    int left = refs.decrementAndGet();
    if (left == 0) {
      closed = true;
      onObsolete.release(this);
    } else if (left < 0) {
      throw new IllegalStateException("table " + meta.fileNumber() + " released more often than acquired");
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "table " + meta.fileNumber() + " (level " + meta.level() + ", " + meta.entryCount() + " entries, "
        + meta.sizeBytes() + " bytes)";
  }
}
