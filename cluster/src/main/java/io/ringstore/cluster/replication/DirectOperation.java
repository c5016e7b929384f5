package io.ringstore.cluster.replication;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * A {@link KeyOperation} that the coordinator hands to the storage engine as the engine's
 * {@link RecordUpdate} itself: the coordinator {@linkplain #bind binds} it to itself before each
 * update instead of wrapping it in a new object, which saves an allocation on every write of the
 * provider's hot path. Everything else is as for any {@code KeyOperation}.
 *
 * <p>Its {@link #apply(Bytes, StoredRecord)} is for the engine, on the coordinator's behalf
 * ({@link StorageEngine#compute}); callers use {@link Coordinator#update}.
 *
 * <p>Thread-safety: not thread-safe; an instance serves one update at a time, on one thread.
 */
public abstract class DirectOperation implements KeyOperation, RecordUpdate {
  // set by the coordinator before each update
  private @Nullable Coordinator coordinator;
  private boolean onlyReplica;

  protected DirectOperation() {}

  /** Called by {@code coordinator} before it hands this operation to its engine. */
  final void bind(Coordinator coordinator, boolean onlyReplica) {
    this.coordinator = coordinator;
    this.onlyReplica = onlyReplica;
  }

  /**
   * The engine's step: decides with {@link #apply(StoredRecord)} and lets the bound coordinator
   * make the new version.
   *
   * @throws IllegalStateException if no coordinator has bound this operation
   */
  @Override
  public final @Nullable StoredRecord apply(Bytes key, @Nullable StoredRecord current) {
    Coordinator bound = coordinator;
    if (bound == null) {
      throw new IllegalStateException("a DirectOperation runs only through Coordinator.update, which binds it");
    }
    return bound.version(key, current, requireNonNull(apply(current), "the operation's mutation"), onlyReplica);
  }
}
