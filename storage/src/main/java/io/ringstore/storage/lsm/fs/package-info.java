/**
 * Fault injection for the file operations of {@link io.ringstore.spi.env.Disk}:
 * {@link io.ringstore.storage.lsm.fs.FaultInjectionDisk} wraps a real disk and simulates power
 * loss (drops unsynced data and undoes unsynced directory changes) and process kills (kills open
 * handles and releases their locks), and fails chosen operations with ENOSPC or EIO, in the manner
 * of LevelDB's {@code FaultInjectionTestEnv} and RocksDB's {@code FaultInjectionTestFS}; the rest
 * of the package is its handles, rules and reports. The interfaces it implements, and the real
 * implementation ({@link io.ringstore.spi.env.NioDisk}), live in {@code io.ringstore.spi.env}.
 *
 * <p>Every WAL, SSTable and manifest byte the engine writes goes through a {@code Disk}, and so
 * does every fsync, rename and directory fsync; that is what lets crash tests decide what a
 * power cut would have kept. It lives in {@code main} so that other modules' tests can use it;
 * nothing in production constructs it.
 *
 * <p>Depends on the JDK and {@code io.ringstore.spi.env} only. It must not import any other
 * {@code io.ringstore} package (the rest of the LSM tier never imports it in production code),
 * nor {@code io.ringstore.cluster} or {@code io.ringstore.provider}.
 */
@NullMarked
package io.ringstore.storage.lsm.fs;

import org.jspecify.annotations.NullMarked;
