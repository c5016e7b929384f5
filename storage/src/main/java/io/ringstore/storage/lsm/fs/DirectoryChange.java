package io.ringstore.storage.lsm.fs;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A creation, rename or deletion that {@link FaultInjectionDisk} will undo at a crash unless
 * its directory is synced first.
 *
 * <p>Thread-safety: immutable (the byte arrays are never modified after construction).
 */
sealed interface DirectoryChange {

  /** {@code path} was created. */
  record Created(Path path) implements DirectoryChange {}

  /** {@code source} was renamed to {@code target}; {@code replaced} is the durable content of the file {@code target} named before, if any. */
  record Renamed(Path source, Path target, byte @Nullable [] replaced) implements DirectoryChange {}

  /** {@code path} was deleted; {@code content} is its durable content at that moment. */
  record Deleted(Path path, byte[] content) implements DirectoryChange {}
}
