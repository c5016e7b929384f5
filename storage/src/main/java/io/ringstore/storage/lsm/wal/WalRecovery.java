package io.ringstore.storage.lsm.wal;

import java.util.List;

/**
 * What {@link WalReader#recover} found and did.
 *
 * @param segmentIds the segments replayed, in id order (those at or after the requested start)
 * @param records how many records were replayed
 * @param truncatedBytes how many bytes of torn tail were cut from the last segment (0 if none;
 *     a last segment whose header was torn is deleted and counts its whole length)
 * @param nextSegmentId the id a new {@link WalWriter} must use: one past every segment id seen in
 *     the directory (including skipped and deleted ones), at least the requested start
 *
 * <p>Thread-safety: immutable.
 */
public record WalRecovery(List<Long> segmentIds, long records, long truncatedBytes, long nextSegmentId) {

  /** Copies the list. */
  public WalRecovery {
    segmentIds = List.copyOf(segmentIds);
  }
}
