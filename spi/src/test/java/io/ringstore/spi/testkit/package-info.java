/**
 * The kit other modules test against, shipped in spi's test-jar: {@link
 * io.ringstore.spi.testkit.StorageEngineContract}, which every storage engine (ours or a third
 * party's) extends to prove it honours the {@link io.ringstore.spi.StorageEngine} contract, and
 * {@link io.ringstore.spi.testkit.FakeTime}, the clock, ticker and scheduler that move only when a
 * test moves them, and {@link io.ringstore.spi.testkit.MemoryDisk}, an in-memory
 * {@link io.ringstore.spi.env.Disk} whose {@code crashClone()} keeps only what was synced.
 *
 * <p>Depends on {@code io.ringstore.spi}, JUnit 5 and AssertJ only; it must not import any
 * engine, {@code io.ringstore.storage}, {@code io.ringstore.cluster} or
 * {@code io.ringstore.provider}.
 */
@NullMarked
package io.ringstore.spi.testkit;

import org.jspecify.annotations.NullMarked;
