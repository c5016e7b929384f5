package io.ringstore.spi;

/**
 * Counters an engine keeps since it was opened.
 *
 * @param entries the number of keys held now (tombstones included; expired records not yet
 *     removed may be counted)
 * @param weightBytes the bytes held now, as {@link StoredRecord#weightBytes} counts them
 * @param evictions records removed by the eviction policy
 * @param expirations records removed because they expired
 */
public record EngineStats(long entries, long weightBytes, long evictions, long expirations) {}
