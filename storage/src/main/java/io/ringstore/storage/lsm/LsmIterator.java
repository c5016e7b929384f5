package io.ringstore.storage.lsm;

import io.ringstore.spi.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Walks the live keys of an {@link LsmStore} in unsigned byte order, at a snapshot: deletions are
 * skipped and each key appears once with its newest value at the snapshot.
 *
 * <p>Steps that read a table block may throw {@link io.ringstore.storage.lsm.sstable.CorruptionException}
 * (naming the file and offset) or {@link java.io.UncheckedIOException}; the iterator is then
 * invalid. Close it when done.
 *
 * <p>Thread-safety: not thread-safe; confined to one thread.
 */
public final class LsmIterator implements AutoCloseable {
  private final LsmSnapshot snapshot;
  private final boolean ownsSnapshot;
  private final Source merged;

  LsmIterator(LsmSnapshot snapshot, boolean ownsSnapshot) {
    this.snapshot = snapshot;
    this.ownsSnapshot = ownsSnapshot;
    ReadView view = snapshot.view;
    List<Source> sources = new ArrayList<>();
    sources.add(new Source.OfMemtable(view.active(), snapshot.sequence));
    for (var m : view.immutables()) {
      sources.add(new Source.OfMemtable(m, snapshot.sequence));
    }
    for (Table t : view.levels().get(0)) {
      sources.add(new Source.OfTable(t));
    }
    for (int level = 1; level < view.levels().size(); level++) {
      if (!view.levels().get(level).isEmpty()) {
        sources.add(new Source.OfLevel(view.levels().get(level)));
      }
    }
    this.merged = new Source.Merged(sources);
  }

  /** Moves to the first live key. */
  public void seekToFirst() {
    checkOpen();
    merged.seekToFirst();
    skipDeletions();
  }

  /** Moves to the first live key at or after {@code target}. */
  public void seek(Bytes target) {
    checkOpen();
    merged.seek(target);
    skipDeletions();
  }

  /** Whether the iterator is on a key. */
  public boolean isValid() {
    return !snapshot.isClosed() && merged.isValid();
  }

  /**
   * Moves to the next live key.
   *
   * @throws NoSuchElementException if the iterator is not on a key
   */
  public void next() {
    requireValid();
    merged.next();
    skipDeletions();
  }

  /** The current key. */
  public Bytes key() {
    requireValid();
    return merged.key();
  }

  /** The current value (a copy). */
  public Bytes value() {
    requireValid();
    byte[] tagged = merged.taggedValue();
    return Bytes.of(Arrays.copyOfRange(tagged, 1, tagged.length));
  }

  /** The current value in the store's tagged form (tag byte first), not copied. */
  byte[] taggedValue() {
    requireValid();
    return merged.taggedValue();
  }

  /** Releases the snapshot the iterator took for itself (not one it was given). Idempotent. */
  @Override
  public void close() {
    if (ownsSnapshot) {
      snapshot.close();
    }
  }

  private void skipDeletions() {
    while (merged.isValid() && TaggedValue.isDeletion(merged.taggedValue(), "iterator at key " + merged.key())) {
      merged.next();
    }
  }

  private void requireValid() {
    if (!isValid()) {
      throw new NoSuchElementException(snapshot.isClosed() ? "the snapshot is closed" : "the iterator is not on a key");
    }
  }

  private void checkOpen() {
    if (snapshot.isClosed()) {
      throw new IllegalStateException("the snapshot of this iterator is closed");
    }
  }
}
