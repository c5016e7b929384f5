/**
 * The file operations the LSM engine is allowed to use, behind one narrow interface
 * ({@link io.ringstore.storage.lsm.fs.Disk}, {@link io.ringstore.storage.lsm.fs.WritableFile},
 * {@link io.ringstore.storage.lsm.fs.ReadableFile}), the real implementation on {@code java.nio}
 * ({@link io.ringstore.storage.lsm.fs.NioDisk}) and a fault-injecting wrapper
 * ({@link io.ringstore.storage.lsm.fs.FaultInjectionDisk}) that simulates power loss (drops
 * unsynced data and undoes unsynced directory changes) and fails chosen operations with ENOSPC or
 * EIO, in the manner of LevelDB's {@code FaultInjectionTestEnv} and RocksDB's
 * {@code FaultInjectionTestFS}.
 *
 * <p>Every WAL, SSTable and manifest byte the engine writes goes through this package, and so
 * does every fsync, rename and directory fsync; that is what lets crash tests decide what a
 * power cut would have kept.
 *
 * <p>Depends on the JDK only. It must not import any other {@code io.ringstore} package (the
 * rest of the LSM tier imports this one, never the reverse), nor {@code io.ringstore.cluster} or
 * {@code io.ringstore.provider}.
 */
@NullMarked
package io.ringstore.storage.lsm.fs;

import org.jspecify.annotations.NullMarked;
