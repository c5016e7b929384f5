package io.ringstore.storage.lsm.wal;

import io.ringstore.spi.Bytes;

/**
 * One record replayed from the log.
 *
 * @param segmentId the segment it was read from
 * @param offsetBytes the file offset of its first byte (its length field)
 * @param type its type byte ({@link WalFormat#TYPE_BATCH})
 * @param payload its payload, exactly as appended
 *
 * <p>Thread-safety: immutable.
 */
public record WalRecord(long segmentId, long offsetBytes, int type, Bytes payload) {}
