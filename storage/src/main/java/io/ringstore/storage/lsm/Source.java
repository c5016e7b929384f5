package io.ringstore.storage.lsm;

import io.ringstore.spi.Bytes;
import io.ringstore.storage.lsm.memtable.Memtable;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A sorted run of entries an iterator or a compaction merges: a memtable at a snapshot, a table,
 * or the tables of one level. Values are in the store's tagged form ({@link TaggedValue}), so
 * deletions are entries too.
 *
 * <p>Thread-safety: not thread-safe; confined to one iterator or compaction.
 */
interface Source {

  void seekToFirst();

  void seek(Bytes target);

  boolean isValid();

  void next();

  Bytes key();

  /** The tagged value of the current entry. */
  byte[] taggedValue();

  /** The entries of a memtable visible at a snapshot. */
  final class OfMemtable implements Source {
    private final Memtable memtable;
    private final long snapshot;
    private @Nullable Iterator<Memtable.Entry> it;
    private Memtable.@Nullable Entry current;

    OfMemtable(Memtable memtable, long snapshot) {
      this.memtable = memtable;
      this.snapshot = snapshot;
    }

    @Override
    public void seekToFirst() {
      it = memtable.iterator(null, snapshot);
      advance();
    }

    @Override
    public void seek(Bytes target) {
      it = memtable.iterator(target, snapshot);
      advance();
    }

    @Override
    public boolean isValid() {
      return current != null;
    }

    @Override
    public void next() {
      advance();
    }

    private void advance() {
      current = it != null && it.hasNext() ? it.next() : null;
    }

    @Override
    public Bytes key() {
      return current.key();
    }

    @Override
    public byte[] taggedValue() {
      return current.value();
    }
  }

  /** The entries of one table. */
  final class OfTable implements Source {
    private final io.ringstore.storage.lsm.sstable.TableReader.Cursor cursor;

    OfTable(Table table) {
      this.cursor = table.reader.cursor();
    }

    @Override
    public void seekToFirst() {
      cursor.seekToFirst();
    }

    @Override
    public void seek(Bytes target) {
      cursor.seek(target);
    }

    @Override
    public boolean isValid() {
      return cursor.isValid();
    }

    @Override
    public void next() {
      cursor.next();
    }

    @Override
    public Bytes key() {
      return cursor.key();
    }

    @Override
    public byte[] taggedValue() {
      return cursor.value().unsafeArray();
    }
  }

  /** The entries of the tables of a level of 1 or more: sorted by key, not overlapping. */
  final class OfLevel implements Source {
    private final List<Table> tables;
    private int index = -1;
    private @Nullable OfTable current;

    OfLevel(List<Table> tables) {
      this.tables = tables;
    }

    @Override
    public void seekToFirst() {
      enter(0);
      if (current != null) {
        current.seekToFirst();
        skipExhausted();
      }
    }

    @Override
    public void seek(Bytes target) {
      int low = 0;
      int high = tables.size();
      while (low < high) { // first table whose largest key >= target
        int mid = (low + high) >>> 1;
        if (tables.get(mid).largest().compareTo(target) < 0) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      enter(low);
      if (current != null) {
        current.seek(target);
        skipExhausted();
      }
    }

    @Override
    public boolean isValid() {
      return current != null && current.isValid();
    }

    @Override
    public void next() {
      current.next();
      skipExhausted();
    }

    @Override
    public Bytes key() {
      return current.key();
    }

    @Override
    public byte[] taggedValue() {
      return current.taggedValue();
    }

    private void skipExhausted() {
      while (current != null && !current.isValid()) {
        enter(index + 1);
        if (current != null) {
          current.seekToFirst();
        }
      }
    }

    private void enter(int i) {
      index = i;
      current = i < tables.size() ? new OfTable(tables.get(i)) : null;
    }
  }

  /**
   * Several sources merged in key order; where several hold a key, the one listed first (the
   * newest) wins and the others' entries of that key are skipped.
   */
  final class Merged implements Source {
    private final Source[] sources;
    private int winner = -1;

    Merged(List<? extends Source> sources) {
      this.sources = sources.toArray(new Source[0]);
    }

    @Override
    public void seekToFirst() {
      for (Source s : sources) {
        s.seekToFirst();
      }
      pick();
    }

    @Override
    public void seek(Bytes target) {
      for (Source s : sources) {
        s.seek(target);
      }
      pick();
    }

    @Override
    public boolean isValid() {
      return winner >= 0;
    }

    @Override
    public void next() {
      Bytes key = sources[winner].key();
      for (Source s : sources) {
        if (s.isValid() && s.key().equals(key)) {
          s.next();
        }
      }
      pick();
    }

    @Override
    public Bytes key() {
      return sources[winner].key();
    }

    @Override
    public byte[] taggedValue() {
      return sources[winner].taggedValue();
    }

    private void pick() {
      winner = -1;
      Bytes smallest = null;
      for (int i = 0; i < sources.length; i++) {
        Source s = sources[i];
        if (s.isValid()) {
          Bytes k = s.key();
          if (smallest == null || k.compareTo(smallest) < 0) {
            smallest = k;
            winner = i;
          }
        }
      }
    }
  }
}
