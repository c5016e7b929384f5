package io.ringstore.storage.lsm.sstable;

import io.ringstore.spi.Bytes;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What {@link TableBuilder#finish()} wrote: enough for the manifest to describe the table without
 * opening it.
 *
 * @param path the table file
 * @param entryCount the entries in it
 * @param dataBlockCount its data blocks
 * @param sizeBytes the file's length
 * @param smallestKey its first key, or {@code null} if it is empty
 * @param largestKey its last key, or {@code null} if it is empty
 *
 * <p>Thread-safety: immutable.
 */
public record TableSummary(Path path, long entryCount, int dataBlockCount, long sizeBytes,
    @Nullable Bytes smallestKey, @Nullable Bytes largestKey) {}
