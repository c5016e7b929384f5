package io.ringstore.cluster.handoff;

/**
 * A node's hint counters at one moment ({@link HintBudget#stats()}).
 *
 * <p>Thread-safety: immutable.
 *
 * @param hints hints kept now (one per target and key: later versions merge into it)
 * @param bytes their bytes, as counted against {@code ringstore.handoff.maxBytes}
 * @param added versions kept as hints since the node started (merges into a kept hint included)
 * @param handedOff hints delivered to their target and deleted
 * @param overflowed versions not kept because the byte bound was reached (their targets marked for repair)
 * @param expired hints dropped undelivered past {@code ringstore.handoff.maxAgeMillis} (their targets marked for repair)
 */
public record HandoffStats(long hints, long bytes, long added, long handedOff, long overflowed, long expired) {}
