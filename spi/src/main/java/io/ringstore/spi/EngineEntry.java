package io.ringstore.spi;

/**
 * One key and its record, as an engine's iterator yields them.
 *
 * @param key the key
 * @param record the record stored under it when the iterator reached it
 */
public record EngineEntry(Bytes key, StoredRecord record) {}
