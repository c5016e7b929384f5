package io.ringstore.storage.lsm.wal;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.storage.lsm.sstable.BlockTrailer;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Recovery: replays the WAL segments of a directory in id order and repairs a torn tail. The
 * rules are those of {@code docs/formats/wal.md} ("Recovery"):
 * <ul>
 *   <li>A record that is short (cut by the end of the file), longer than
 *       {@code wal.maxRecordBytes}, or fails its checksum, at the end of the <em>last</em>
 *       segment, is a torn tail: a write that a power loss interrupted. The file is cut there
 *       (truncated and synced), a WARNING names the segment and the offset, and replay ends.
 *   <li>"At the end" means that no complete, valid record starts anywhere after the bad one: a
 *       torn write leaves nothing valid behind it, so a valid record after a bad one shows damage to
 *       bytes that had been durable, and that is a {@link CorruptionException}.
 *   <li>A bad record in any other segment is a {@link CorruptionException}: the writer syncs a
 *       segment completely before it starts the next one, so only the last can be torn.
 *   <li>A last segment shorter than its header, or exactly a header that fails its checks, was
 *       created but never made durable with a header (the writer syncs the header before it writes
 *       a record): it holds no record, and is deleted (and the directory synced).
 *   <li>A header with an unknown version, unknown flags, the wrong magic or the wrong segment id
 *       (anywhere else) is a {@link CorruptionException} naming the value found.
 * </ul>
 * {@link CorruptionException}s name the structure ({@code "WAL segment N header"} or
 * {@code "WAL segment N record"}), the file, the offset and what was wrong (both checksums on a
 * mismatch). This package reuses the SSTable layer's exception so the engine has one corruption
 * type to translate.
 *
 * <p>A segment is read whole into memory (a writer never makes one larger than
 * {@code wal.segmentBytes} plus one record).
 *
 * <p>Thread-safety: stateless; callers must not write the directory while it is recovered.
 */
public final class WalReader {

  private static final System.Logger LOG = System.getLogger(WalReader.class.getName());

  private WalReader() {}

  /**
   * Replays every record of the segments of {@code directory} whose id is at least
   * {@code fromSegmentId} (older ones are left alone: the engine passes the first segment not yet
   * covered by a flushed table), in order, to {@code sink}; truncates a torn tail as the class
   * comment says.
   *
   * @throws CorruptionException if a segment is damaged anywhere but its torn tail
   * @throws IOException if the disk fails
   */
  public static WalRecovery recover(Disk disk, Path directory, long fromSegmentId, int maxRecordBytes,
      Consumer<WalRecord> sink) throws IOException {
    List<Long> ids = new ArrayList<>();
    long maxSeen = 0;
    for (Path entry : disk.list(directory)) {
      Long id = WalFormat.segmentId(entry);
      if (id != null) {
        maxSeen = Math.max(maxSeen, id);
        if (id >= fromSegmentId) {
          ids.add(id);
        }
      }
    }
    ids.sort(null);
    List<Long> replayed = new ArrayList<>();
    long records = 0;
    long truncated = 0;
    for (int i = 0; i < ids.size(); i++) {
      long id = ids.get(i);
      Segment segment = new Segment(disk, directory, id, i == ids.size() - 1, maxRecordBytes);
      Segment.Outcome outcome = segment.replay(sink);
      records += outcome.records;
      truncated += outcome.truncatedBytes;
      if (!outcome.deleted) {
        replayed.add(id);
      }
    }
    return new WalRecovery(replayed, records, truncated, Math.max(maxSeen + 1, Math.max(1, fromSegmentId)));
  }

  /** One segment being replayed. Not thread-safe. */
  private static final class Segment {
    final Disk disk;
    final Path directory;
    final Path path;
    final long id;
    final boolean last;
    final int maxRecordBytes;
    byte[] bytes = new byte[0];

    Segment(Disk disk, Path directory, long id, boolean last, int maxRecordBytes) {
      this.disk = disk;
      this.directory = directory;
      this.path = WalFormat.segmentPath(directory, id);
      this.id = id;
      this.last = last;
      this.maxRecordBytes = maxRecordBytes;
    }

    record Outcome(long records, long truncatedBytes, boolean deleted) {}

    Outcome replay(Consumer<WalRecord> sink) throws IOException {
      bytes = readAll();
      String headerProblem = headerProblem();
      if (headerProblem != null) {
        if (last && bytes.length <= WalFormat.HEADER_BYTES && !headerProblem.startsWith("unknown version")) {
          LOG.log(System.Logger.Level.WARNING, "WAL segment " + id + " (" + path + "): torn header ("
              + headerProblem + "); the segment holds no record and is deleted");
          disk.delete(path);
          disk.syncDirectory(directory);
          return new Outcome(0, bytes.length, true);
        }
        throw corrupt("header", 0, headerProblem);
      }
      int position = WalFormat.HEADER_BYTES;
      long records = 0;
      while (position < bytes.length) {
        String problem = recordProblem(position);
        if (problem == null) {
          int length = WalFormat.getU32(bytes, position);
          int type = bytes[position + 8] & 0xff;
          if (type != WalFormat.TYPE_BATCH) {
            throw corrupt("record", position, "unknown record type " + type + " (this build knows "
                + WalFormat.TYPE_BATCH + " = batch), although its checksum matches");
          }
          byte[] payload = Arrays.copyOfRange(bytes, position + WalFormat.RECORD_HEADER_BYTES,
              position + WalFormat.RECORD_HEADER_BYTES + length);
          sink.accept(new WalRecord(id, position, type, Bytes.of(payload)));
          records++;
          position += WalFormat.RECORD_HEADER_BYTES + length;
          continue;
        }
        if (!last) {
          throw corrupt("record", position, problem + " (not the last segment, so not a torn tail)");
        }
        int valid = nextValidRecord(position + 1);
        if (valid >= 0) {
          throw corrupt("record", position, problem + "; a valid record follows at offset " + valid
              + ", so this is damage, not a torn tail");
        }
        long cut = bytes.length - position;
        LOG.log(System.Logger.Level.WARNING, "WAL segment " + id + " (" + path + "): torn tail at offset "
            + position + " (" + problem + "); truncating " + cut + " bytes");
        try (WritableFile file = disk.openForAppend(path)) {
          file.truncate(position);
          file.sync();
        }
        return new Outcome(records, cut, false);
      }
      return new Outcome(records, 0, false);
    }

    private byte[] readAll() throws IOException {
      try (ReadableFile file = disk.openForRead(path)) {
        long size = file.sizeBytes();
        if (size > Integer.MAX_VALUE - 64) {
          throw corrupt("header", 0, "the segment file is " + size + " bytes; no writer makes one above "
              + (Integer.MAX_VALUE - 64) + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        file.readFully(0, buffer);
        return buffer.array();
      }
    }

    private @Nullable String headerProblem() {
      if (bytes.length < WalFormat.HEADER_BYTES) {
        return "the file is " + bytes.length + " bytes, shorter than the " + WalFormat.HEADER_BYTES + "-byte header";
      }
      if (!Arrays.equals(bytes, 0, 4, WalFormat.MAGIC, 0, 4)) {
        return String.format("bad magic %02x %02x %02x %02x (expected 52 53 57 4c, \"RSWL\")",
            bytes[0], bytes[1], bytes[2], bytes[3]);
      }
      int version = WalFormat.getU16(bytes, 4);
      if (version != WalFormat.VERSION) {
        return "unknown version " + version + " (this build reads version " + WalFormat.VERSION + ")";
      }
      int flags = WalFormat.getU16(bytes, 6);
      if (flags != 0) {
        return String.format("unknown flags 0x%04x (version 1 defines none)", flags);
      }
      long headerId = WalFormat.getU64(bytes, 8);
      if (headerId != id) {
        return "segment id " + Long.toUnsignedString(headerId) + " in the header, but the file is named for " + id;
      }
      return null;
    }

    /** Null if a complete record with a matching checksum starts at {@code position}, else what is wrong. */
    private @Nullable String recordProblem(int position) {
      int remaining = bytes.length - position;
      if (remaining < WalFormat.RECORD_HEADER_BYTES) {
        return "short record header: " + remaining + " bytes left, a record header needs "
            + WalFormat.RECORD_HEADER_BYTES;
      }
      long length = Integer.toUnsignedLong(WalFormat.getU32(bytes, position));
      if (length > maxRecordBytes) {
        return "record length " + length + " bytes exceeds wal.maxRecordBytes = " + maxRecordBytes + " bytes";
      }
      if (length > remaining - WalFormat.RECORD_HEADER_BYTES) {
        return "short record: length " + length + " bytes, but only "
            + (remaining - WalFormat.RECORD_HEADER_BYTES) + " bytes follow its header";
      }
      int stored = BlockTrailer.unmask(WalFormat.getU32(bytes, position + 4));
      int computed = WalFormat.crc(bytes[position + 8] & 0xff, bytes,
          position + WalFormat.RECORD_HEADER_BYTES, (int) length);
      if (stored != computed) {
        return String.format("checksum mismatch: stored crc32c 0x%08x, computed 0x%08x", stored, computed);
      }
      return null;
    }

    /** The first offset at or after {@code from} where a valid record of a known type starts, or -1. */
    private int nextValidRecord(int from) {
      for (int q = from; q + WalFormat.RECORD_HEADER_BYTES <= bytes.length; q++) {
        if ((bytes[q + 8] & 0xff) == WalFormat.TYPE_BATCH && recordProblem(q) == null) {
          return q;
        }
      }
      return -1;
    }

    private CorruptionException corrupt(String structure, long offset, String detail) {
      return new CorruptionException("WAL segment " + id + " " + structure, offset, detail)
          .locatedIn(path.toString(), 0);
    }
  }
}
