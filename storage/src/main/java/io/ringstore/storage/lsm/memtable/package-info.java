/**
 * The LSM engine's memtable: the newest writes, in memory and sorted, until they are flushed to a
 * table. Owns no files; knows keys and values as opaque bytes.
 */
@NullMarked
package io.ringstore.storage.lsm.memtable;

import org.jspecify.annotations.NullMarked;
