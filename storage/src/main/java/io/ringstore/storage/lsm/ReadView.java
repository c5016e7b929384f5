package io.ringstore.storage.lsm;

import io.ringstore.storage.lsm.memtable.Memtable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a read consults, newest first: the active memtable, the frozen memtables waiting for their
 * flush (newest first), level 0's tables (newest first) and the tables of each deeper level (sorted
 * by key, not overlapping). The store replaces its view whenever a memtable is frozen, a flush
 * ends or a compaction ends; a read uses the view it started with.
 *
 * <p>Thread-safety: immutable (the memtables it names are themselves thread-safe).
 */
record ReadView(Memtable active, List<Memtable> immutables, List<List<Table>> levels) {

  ReadView {
    immutables = List.copyOf(immutables);
    List<List<Table>> copy = new ArrayList<>(levels.size());
    for (List<Table> level : levels) {
      copy.add(List.copyOf(level));
    }
    levels = List.copyOf(copy);
  }

  /** Every table of the view. */
  List<Table> tables() {
    List<Table> all = new ArrayList<>();
    for (List<Table> level : levels) {
      all.addAll(level);
    }
    return all;
  }

  /** The total file bytes of a level. */
  long levelBytes(int level) {
    long sum = 0;
    for (Table t : levels.get(level)) {
      sum += t.meta.sizeBytes();
    }
    return sum;
  }
}
