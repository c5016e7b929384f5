/**
 * The environment as parameters: time ({@link io.ringstore.spi.env.Clock},
 * {@link io.ringstore.spi.env.Ticker}), scheduling ({@link io.ringstore.spi.env.Scheduler}) and
 * files ({@link io.ringstore.spi.env.Disk}, with its handles {@link io.ringstore.spi.env.WritableFile},
 * {@link io.ringstore.spi.env.ReadableFile} and {@link io.ringstore.spi.env.DiskLock}), bundled in
 * {@link io.ringstore.spi.env.Env}. Production code takes them from
 * {@link io.ringstore.spi.env.Env#system()} (the system clocks, a shared scheduler thread and
 * {@link io.ringstore.spi.env.NioDisk}, the real file system); tests from
 * {@code io.ringstore.spi.testkit.FakeTime} and {@code io.ringstore.spi.testkit.MemoryDisk}, so that
 * expiry, gossip, failure detection and crash recovery are tested fast and repeatably. Nothing
 * else in Ringstore reads the system clock or sleeps, and storage engines touch their files only
 * through a {@code Disk}.
 *
 * <p>Depends on the JDK only: it must not import any other {@code io.ringstore} package.
 */
@NullMarked
package io.ringstore.spi.env;

import org.jspecify.annotations.NullMarked;
