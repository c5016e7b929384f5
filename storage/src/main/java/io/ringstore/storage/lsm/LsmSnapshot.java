package io.ringstore.storage.lsm;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A consistent, frozen view of an {@link LsmStore}: every write acknowledged before it was taken,
 * none begun after it, and of a batch all operations or none. Iterators opened on it
 * ({@link LsmStore#iterator(LsmSnapshot)}) see exactly that state however long they run; the
 * tables it reads stay on disk until it is closed, even if compaction replaces them.
 *
 * <p>Close it when done (try-with-resources): an open snapshot keeps replaced table files on disk.
 *
 * <p>Thread-safety: thread-safe; several iterators may share it.
 */
public final class LsmSnapshot implements AutoCloseable {
  final ReadView view;
  final long sequence;
  private final List<Table> pinned;
  private final AtomicBoolean closed = new AtomicBoolean();

  LsmSnapshot(ReadView view, long sequence, List<Table> pinned) {
    this.view = view;
    this.sequence = sequence;
    this.pinned = pinned;
  }

  /** The sequence number of the newest write the snapshot sees. */
  public long sequence() {
    return sequence;
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Releases the tables it pins. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      for (Table t : pinned) {
        t.release();
      }
    }
  }
}
