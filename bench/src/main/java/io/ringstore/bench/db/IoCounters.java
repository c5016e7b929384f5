package io.ringstore.bench.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's write counters from Linux's {@code /proc/self/io}, summed over all its threads
 * (so an engine's background flush and compaction threads count too).
 *
 * <ul>
 *   <li>{@code writeBytes} ({@code write_bytes}): bytes of file pages the process dirtied, i.e.
 *       handed to the page cache for writing to storage, counted a page at a time when a clean
 *       page becomes dirty. This is the write amplification figure: what the engine wrote to its
 *       files, rounded up to pages, so a small synced write that re-dirties the log's last page
 *       counts a whole 4 KiB page, as the device sees it.
 *   <li>{@code cancelledWriteBytes} ({@code cancelled_write_bytes}): of those, bytes dropped
 *       before writeback because their file was truncated or deleted first (a log or table
 *       deleted by a flush or compaction within the kernel's dirty-expiry time, 30 s by
 *       default). Reported, not subtracted: it depends on timing, not on the engine's design,
 *       and it can make a benchmark's net figure negative when it deletes what an earlier one
 *       wrote.
 *   <li>{@code wchar}: bytes passed to {@code write}-like system calls on any file, pipe or
 *       terminal, whether or not they reached storage.
 * </ul>
 *
 * <p>On a system without {@code /proc/self/io} every field is {@code -1} ({@link #available()}
 * is false) and the benchmarks report no write amplification rather than a wrong one.
 *
 * @param writeBytes write_bytes, or -1
 * @param cancelledWriteBytes cancelled_write_bytes, or -1
 * @param wchar wchar, or -1
 */
public record IoCounters(long writeBytes, long cancelledWriteBytes, long wchar) {
  private static final Path PROC_SELF_IO = Path.of("/proc/self/io");
  private static final IoCounters UNAVAILABLE = new IoCounters(-1, -1, -1);

  /** The counters now. */
  public static IoCounters read() {
    String text;
    try {
      text = Files.readString(PROC_SELF_IO, StandardCharsets.US_ASCII);
    } catch (IOException | UnsupportedOperationException e) {
      return UNAVAILABLE;
    }
    return parse(text);
  }

  /** The counters in a {@code /proc/<pid>/io} text; -1 for each one missing. */
  static IoCounters parse(String text) {
    long writeBytes = -1;
    long cancelled = -1;
    long wchar = -1;
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      long value = Long.parseLong(line.substring(colon + 1).trim());
      switch (name) {
        case "write_bytes" -> writeBytes = value;
        case "cancelled_write_bytes" -> cancelled = value;
        case "wchar" -> wchar = value;
        default -> { }
      }
    }
    return new IoCounters(writeBytes, cancelled, wchar);
  }

  /** Whether the counters were read (false where {@code /proc/self/io} does not exist). */
  public boolean available() {
    return writeBytes >= 0 && cancelledWriteBytes >= 0 && wchar >= 0;
  }

  /** Zero of everything: the start of a sum. */
  public static final IoCounters ZERO = new IoCounters(0, 0, 0);

  /** The sum of this and {@code other}; all -1 if either lacks counters. */
  public IoCounters plus(IoCounters other) {
    if (!available() || !other.available()) {
      return UNAVAILABLE;
    }
    return new IoCounters(writeBytes + other.writeBytes, cancelledWriteBytes + other.cancelledWriteBytes,
        wchar + other.wchar);
  }

  /** What was counted between {@code earlier} and this reading; all -1 if either lacks counters. */
  public IoCounters since(IoCounters earlier) {
    if (!available() || !earlier.available()) {
      return UNAVAILABLE;
    }
    return new IoCounters(writeBytes - earlier.writeBytes, cancelledWriteBytes - earlier.cancelledWriteBytes,
        wchar - earlier.wchar);
  }
}
