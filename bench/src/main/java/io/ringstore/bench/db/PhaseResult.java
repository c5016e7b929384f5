package io.ringstore.bench.db;

import java.util.Locale;

/**
 * What one benchmark of a run measured.
 *
 * @param name the benchmark, e.g. {@code fillrandom}
 * @param threads how many threads ran it (their operations split evenly)
 * @param ops operations done, summed over threads (a {@code seekrandom} operation is one seek and
 *     its nexts; {@code compact} is one operation)
 * @param elapsedNanos wall time from releasing the threads to the last one finishing
 * @param latency per-operation latency percentiles and mean
 * @param found {@code readrandom}/{@code readmissing}: keys found; {@code seekrandom}: entries
 *     read over all seeks; -1 for the others
 * @param logicalBytesWritten bytes of keys and values the benchmark put, {@code ops x (key +
 *     value)}; 0 for a benchmark that only reads
 * @param written what {@code /proc/self/io} counted during the benchmark (whatever thread of the
 *     process did it, so background work started by an earlier benchmark counts here)
 * @param dbBytes the database directory's bytes on disk right after the benchmark
 * @param liveLogicalBytes the keys and values the database holds after the benchmark, {@code
 *     distinct keys x (key + value)}
 * @param database the directory name of the database it ran on, e.g. {@code db} or
 *     {@code fillsync-8t}
 */
public record PhaseResult(String name, int threads, long ops, long elapsedNanos, Latency latency, long found,
    long logicalBytesWritten, IoCounters written, long dbBytes, long liveLogicalBytes, String database) {

  /**
   * Latency summary in nanoseconds.
   *
   * @param p50Nanos median
   * @param p99Nanos 99th percentile
   * @param p999Nanos 99.9th percentile
   * @param maxNanos largest
   * @param meanNanos mean
   */
  public record Latency(long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos, double meanNanos) {
    /** The summary of {@code histogram}. */
    public static Latency of(LatencyHistogram histogram) {
      return new Latency(histogram.percentileNanos(0.50), histogram.percentileNanos(0.99),
          histogram.percentileNanos(0.999), histogram.maxNanos(), histogram.meanNanos());
    }
  }

  /** Operations per second of wall time, over all threads. */
  public double opsPerSecond() {
    return elapsedNanos <= 0 ? Double.NaN : ops * 1e9 / elapsedNanos;
  }

  /** Bytes the storage layer was sent per logical byte put; NaN when nothing was put or unknown. */
  public double writeAmplification() {
    return logicalBytesWritten <= 0 || written.writeBytes() < 0
        ? Double.NaN : (double) written.writeBytes() / logicalBytesWritten;
  }

  /** Bytes on disk per logical byte held; NaN when not measured. */
  public double spaceAmplification() {
    return liveLogicalBytes <= 0 || dbBytes < 0 ? Double.NaN : (double) dbBytes / liveLogicalBytes;
  }

  /**
   * db_bench's one-line summary (micros/op is the mean latency of one operation, as one thread
   * saw it), with percentiles and amplification after it.
   */
  public String humanLine(int entryBytes) {
    double seconds = elapsedNanos / 1e9;
    long bytesMoved = logicalBytesWritten > 0 ? logicalBytesWritten : Math.max(0, found) * entryBytes;
    StringBuilder s = new StringBuilder(ops == 1
        ? String.format(Locale.ROOT, "%-12s : %11.3f seconds", name, seconds)
        : String.format(Locale.ROOT,
            "%-12s : %11.3f micros/op %9.0f ops/sec; %7.1f MB/s; t=%d; p50 %.1f us, p99 %.1f us, p99.9 %.1f us",
            name, latency.meanNanos() / 1e3, opsPerSecond(), bytesMoved / 1e6 / seconds, threads,
            latency.p50Nanos() / 1e3, latency.p99Nanos() / 1e3, latency.p999Nanos() / 1e3));
    if (found >= 0) {
      s.append(String.format(Locale.ROOT, name.startsWith("seek") ? "; %d entries read" : "; %d of %d found",
          found, ops));
    }
    if (written.available()) {
      s.append(String.format(Locale.ROOT, "; written %.1f MB", written.writeBytes() / 1e6));
      if (logicalBytesWritten > 0) {
        s.append(String.format(Locale.ROOT, " (WA %.2f)", writeAmplification()));
      }
    }
    if (dbBytes >= 0) {
      s.append(String.format(Locale.ROOT, "; on disk %.1f MB (SA %.2f)", dbBytes / 1e6, spaceAmplification()));
    }
    return s.toString();
  }

  /** Writes this result as one JSON object. */
  public void writeJson(JsonWriter json) {
    json.beginObject()
        .name("name").value(name)
        .name("threads").value(threads)
        .name("database").value(database)
        .name("ops").value(ops)
        .name("seconds").value(elapsedNanos / 1e9)
        .name("opsPerSec").value(opsPerSecond())
        .name("latencyNanos").beginObject()
        .name("p50").value(latency.p50Nanos())
        .name("p99").value(latency.p99Nanos())
        .name("p999").value(latency.p999Nanos())
        .name("max").value(latency.maxNanos())
        .name("mean").value(latency.meanNanos())
        .endObject();
    if (found >= 0) {
      json.name(name.startsWith("seek") ? "entriesRead" : "found").value(found);
    }
    json.name("logicalBytesWritten").value(logicalBytesWritten);
    if (written.available()) {
      json.name("writeBytes").value(written.writeBytes())
          .name("cancelledWriteBytes").value(written.cancelledWriteBytes())
          .name("wchar").value(written.wchar())
          .name("writeAmplification").value(writeAmplification());
    }
    if (dbBytes >= 0) {
      json.name("dbBytes").value(dbBytes)
          .name("liveLogicalBytes").value(liveLogicalBytes)
          .name("spaceAmplification").value(spaceAmplification());
    }
    json.endObject();
  }
}
