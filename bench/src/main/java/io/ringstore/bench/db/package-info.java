/**
 * A db_bench-style comparison of key-value storage engines driven from Java: Ringstore's
 * {@code lsm} engine beside RocksDB ({@code rocksdbjni}), one engine per process.
 *
 * <p>This package owns the workload (16-byte keys, 100-byte half-compressible values, seeded
 * orders), the benchmarks ({@code fillrandom}, {@code readrandom}, {@code readmissing},
 * {@code seekrandom}, {@code overwrite}, {@code compact}, {@code fillsync}), their measurements
 * (throughput, latency percentiles, bytes on disk, bytes written from {@code /proc/self/io}), the
 * JSON each run writes and the Markdown table that compares runs. Each engine is reached through
 * one small adapter ({@link io.ringstore.bench.db.Engine}); only the adapters import an engine's
 * classes, and the harness must not import any of them, so that no engine gets a path the others
 * lack. It must not import the JCache benchmarks of {@code io.ringstore.bench} either.
 */
@NullMarked
package io.ringstore.bench.db;

import org.jspecify.annotations.NullMarked;
