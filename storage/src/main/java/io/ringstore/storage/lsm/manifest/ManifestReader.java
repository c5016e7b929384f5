package io.ringstore.storage.lsm.manifest;

import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.storage.lsm.sstable.BlockTrailer;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import io.ringstore.storage.lsm.wal.WalFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code CURRENT} and replays a manifest file, by the rules of {@code docs/formats/manifest.md}
 * ("Recovery"):
 * <ul>
 *   <li>The header must be whole and valid, and the first record (the snapshot) must be valid: the
 *       file was fsynced before {@code CURRENT} named it, so damage there is a
 *       {@link CorruptionException}.
 *   <li>A bad record (cut by the end of the file, or failing its checksum) with no valid record
 *       starting at any later offset is a torn tail: the append of an edit whose apply never
 *       returned. It is ignored (the file is not modified: {@link Manifest#open} switches to a new
 *       file), logged as a WARNING and reported.
 *   <li>A bad record followed somewhere by a valid one is damage to durable bytes: a
 *       {@link CorruptionException}. So is a record whose checksum matches but whose type is
 *       unknown, whose edit does not decode, or whose edit does not apply to the state before it.
 * </ul>
 * Exceptions name the structure, the file and the offset of the bad item.
 *
 * <p>The file is read whole into memory: a writer never makes one larger than
 * {@code manifest.maxFileBytes}, or twice its snapshot, plus one record. Every record length is
 * checked against the bytes that follow it before it is used; {@code manifest.maxRecordBytes} is
 * the writer's bound on edits and is not checked here (a snapshot is as large as the state).
 *
 * <p>Thread-safety: stateless; callers must not write the file while it is read.
 */
final class ManifestReader {

  private static final System.Logger LOG = System.getLogger(ManifestReader.class.getName());

  /** The largest file read into one array. */
  private static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

  private ManifestReader() {}

  /**
   * What one manifest file replays to.
   *
   * @param state the state after its last valid edit
   * @param edits how many edit records were replayed
   * @param tornTailOffset the offset of the ignored torn tail, or -1
   * @param tornTailBytes its length, or 0
   */
  record Replay(ManifestState state, long edits, long tornTailOffset, long tornTailBytes) {}

  /**
   * The manifest number {@code CURRENT} names.
   *
   * @throws CorruptionException naming {@code current} if its content is not a manifest file name
   *     and a newline
   */
  static long readCurrent(Disk disk, Path current) throws IOException {
    try (ReadableFile file = disk.openForRead(current)) {
      long size = file.sizeBytes();
      if (size > ManifestFormat.MAX_CURRENT_BYTES) {
        throw new CorruptionException(ManifestFormat.CURRENT, 0, "the file is " + size
            + " bytes; a manifest file name and a newline take at most " + ManifestFormat.MAX_CURRENT_BYTES
            + " bytes").locatedIn(current.toString(), 0);
      }
      ByteBuffer content = ByteBuffer.allocate((int) size);
      file.readFully(0, content);
      try {
        return ManifestFormat.parseCurrent(content.array());
      } catch (CorruptionException e) {
        throw e.locatedIn(current.toString(), 0);
      }
    }
  }

  /**
   * Replays manifest file {@code number} at {@code path} from {@link ManifestState#empty()}.
   *
   * @throws CorruptionException if the file is damaged anywhere but a torn tail
   * @throws IOException if the disk fails
   */
  static Replay replay(Disk disk, Path path, long number) throws IOException {
    return new FileReplay(path, number, readAll(disk, path)).replay();
  }

  private static byte[] readAll(Disk disk, Path path) throws IOException {
    try (ReadableFile file = disk.openForRead(path)) {
      long size = file.sizeBytes();
      if (size > MAX_FILE_BYTES) {
        throw new CorruptionException("manifest header", 0, "the file is " + size + " bytes; no writer makes one above "
            + MAX_FILE_BYTES + " bytes").locatedIn(path.toString(), 0);
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      file.readFully(0, buffer);
      return buffer.array();
    }
  }

  /** One file being replayed. Not thread-safe. */
  static final class FileReplay {
    private final Path path;
    private final long number;
    private final byte[] bytes;

    FileReplay(Path path, long number, byte[] bytes) {
      this.path = path;
      this.number = number;
      this.bytes = bytes;
    }

    Replay replay() {
      String headerProblem = headerProblem();
      if (headerProblem != null) {
        throw corrupt("manifest header", 0, headerProblem);
      }
      ManifestState state = ManifestState.empty();
      int position = ManifestFormat.HEADER_BYTES;
      long edits = 0;
      while (position < bytes.length) {
        String problem = recordProblem(position);
        if (problem != null) {
          int valid = nextValidRecord(position + 1);
          if (valid >= 0) {
            throw corrupt("manifest record", position, problem + "; a valid record follows at offset " + valid
                + ", so this is damage, not a torn tail");
          }
          if (edits == 0) {
            throw corrupt("manifest record", position, problem + "; this is the file's first record, its snapshot,"
                + " which was fsynced before CURRENT named the file");
          }
          long torn = bytes.length - position;
          LOG.log(System.Logger.Level.WARNING, "manifest " + path + ": torn tail at offset " + position + " ("
              + problem + "); ignoring its " + torn + " bytes, an edit whose apply never returned");
          return new Replay(state, edits, position, torn);
        }
        int length = WalFormat.getU32(bytes, position);
        int type = bytes[position + 8] & 0xff;
        if (type != ManifestFormat.TYPE_EDIT) {
          throw corrupt("manifest record", position, "unknown record type " + type + " (this build knows "
              + ManifestFormat.TYPE_EDIT + " = edit), although its checksum matches");
        }
        int payload = position + ManifestFormat.RECORD_HEADER_BYTES;
        VersionEdit edit = VersionEdit.decode(bytes, payload, length, path.toString(), payload);
        try {
          state = state.apply(edit);
        } catch (IllegalArgumentException e) {
          throw corrupt("manifest record", position, "edit " + edits + " does not apply to the state before it: "
              + e.getMessage());
        }
        edits++;
        position = payload + length;
      }
      if (edits == 0) {
        throw corrupt("manifest record", position, "the file holds no record after its header, but its first record,"
            + " the snapshot, was fsynced before CURRENT named the file");
      }
      return new Replay(state, edits, -1, 0);
    }

    private @Nullable String headerProblem() {
      if (bytes.length < ManifestFormat.HEADER_BYTES) {
        return "the file is " + bytes.length + " bytes, shorter than the " + ManifestFormat.HEADER_BYTES
            + "-byte header";
      }
      if (!Arrays.equals(bytes, 0, 4, ManifestFormat.MAGIC, 0, 4)) {
        return String.format("bad magic %02x %02x %02x %02x (expected 52 53 4d 46, \"RSMF\")",
            bytes[0], bytes[1], bytes[2], bytes[3]);
      }
      int version = WalFormat.getU16(bytes, 4);
      if (version != ManifestFormat.VERSION) {
        return "unknown version " + version + " (this build reads version " + ManifestFormat.VERSION + ")";
      }
      int flags = WalFormat.getU16(bytes, 6);
      if (flags != 0) {
        return String.format("unknown flags 0x%04x (version 1 defines none)", flags);
      }
      long headerNumber = WalFormat.getU64(bytes, 8);
      if (headerNumber != number) {
        return "manifest number " + Long.toUnsignedString(headerNumber) + " in the header, but the file is named for "
            + number;
      }
      return null;
    }

    /** Null if a complete record with a matching checksum starts at {@code position}, else what is wrong. */
    private @Nullable String recordProblem(int position) {
      int remaining = bytes.length - position;
      if (remaining < ManifestFormat.RECORD_HEADER_BYTES) {
        return "short record header: " + remaining + " bytes left, a record header needs "
            + ManifestFormat.RECORD_HEADER_BYTES;
      }
      long length = Integer.toUnsignedLong(WalFormat.getU32(bytes, position));
      if (length > remaining - ManifestFormat.RECORD_HEADER_BYTES) {
        return "short record: length " + length + " bytes, but only "
            + (remaining - ManifestFormat.RECORD_HEADER_BYTES) + " bytes follow its header";
      }
      int stored = BlockTrailer.unmask(WalFormat.getU32(bytes, position + 4));
      int computed = ManifestFormat.crc(bytes[position + 8] & 0xff, bytes,
          position + ManifestFormat.RECORD_HEADER_BYTES, (int) length);
      if (stored != computed) {
        return String.format("checksum mismatch: stored crc32c 0x%08x, computed 0x%08x", stored, computed);
      }
      return null;
    }

    /** The first offset at or after {@code from} where a valid edit record starts, or -1. */
    private int nextValidRecord(int from) {
      for (int q = from; q + ManifestFormat.RECORD_HEADER_BYTES <= bytes.length; q++) {
        if ((bytes[q + 8] & 0xff) == ManifestFormat.TYPE_EDIT && recordProblem(q) == null) {
          return q;
        }
      }
      return -1;
    }

    private CorruptionException corrupt(String structure, long offset, String detail) {
      return new CorruptionException(structure, offset, detail).locatedIn(path.toString(), 0);
    }
  }
}
