package io.ringstore.storage.lsm.manifest;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Manifest#open} found and did.
 *
 * @param recoveredFile the manifest file {@code CURRENT} named and whose edits were replayed, or
 *     null if the directory had no {@code CURRENT} and a fresh, empty manifest was created
 * @param editsReplayed how many edit records were replayed from it (the first is its snapshot)
 * @param tornTailOffset the file offset of the torn tail that was ignored (an edit whose
 *     {@link Manifest#apply} never returned), or -1 if the file ended cleanly
 * @param tornTailBytes how many bytes that torn tail held (0 if none)
 * @param deletedFiles leftover files deleted: manifest files {@code CURRENT} did not name (from a
 *     switch or a first creation a crash interrupted), {@code CURRENT.tmp}, and, after the switch
 *     to the new manifest file, the recovered one
 * @param currentFile the manifest file the opened {@link Manifest} appends to (a new one: opening
 *     always starts a new file holding one snapshot of the recovered state)
 *
 * <p>Thread-safety: immutable.
 */
public record ManifestRecovery(@Nullable Path recoveredFile, long editsReplayed, long tornTailOffset,
    long tornTailBytes, List<Path> deletedFiles, Path currentFile) {

  /** Copies the list. */
  public ManifestRecovery {
    deletedFiles = List.copyOf(deletedFiles);
  }

  /** Whether a torn tail was found and ignored. */
  public boolean tornTail() {
    return tornTailOffset >= 0;
  }
}
