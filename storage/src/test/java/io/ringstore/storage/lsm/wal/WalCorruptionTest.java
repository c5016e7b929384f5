package io.ringstore.storage.lsm.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage and torn tails at chosen offsets: a flipped byte anywhere but the last record of the last
 * segment is a {@link CorruptionException} naming the segment and the offset of the damaged record;
 * a cut or garbled end of the last segment is a torn tail, truncated.
 */
class WalCorruptionTest {

  @TempDir Path dir;
  private final NioDisk disk = new NioDisk();
  private long seed;
  private Random random;
  /** The clean segments: id to bytes. */
  private final TreeMap<Long, byte[]> clean = new TreeMap<>();
  private List<WalRecord> cleanRecords = List.of();
  private final WalOptions options = WalOptions.defaults(WalSyncMode.NONE).withSegmentBytes(4096);

  @BeforeEach
  void setUp(TestInfo test) throws IOException {
    seed = TestSeeds.seed(test);
    random = new Random(seed);
    try (WalWriter writer = Wals.open(disk, dir, options, 1)) {
      for (int i = 0; i < 60; i++) {
        byte[] payload = new byte[50 + random.nextInt(350)];
        random.nextBytes(payload);
        writer.append(payload);
      }
    }
    for (Path segment : disk.list(dir)) {
      clean.put(WalFormat.segmentId(segment), Files.readAllBytes(segment));
    }
    assertThat(clean.size()).as("segments").isGreaterThan(2);
    cleanRecords = Wals.recover(disk, dir, 1, options).records();
  }

  private void restore() throws IOException {
    for (Path entry : disk.list(dir)) {
      Files.delete(entry);
    }
    for (var segment : clean.entrySet()) {
      Files.write(WalFormat.segmentPath(dir, segment.getKey()), segment.getValue());
    }
  }

  /** The offset of the record of segment {@code id} holding byte {@code offset}, or 0 in the header. */
  private long recordStart(long id, long offset) {
    long start = 0;
    for (WalRecord record : cleanRecords) {
      if (record.segmentId() == id && record.offsetBytes() <= offset) {
        start = record.offsetBytes();
      }
    }
    return start;
  }

  private WalRecord lastRecord() {
    return cleanRecords.get(cleanRecords.size() - 1);
  }

  @Test
  void aFlippedByteBeforeTheLastRecordIsCorruptionNamingSegmentAndOffset() throws IOException {
    long lastId = clean.lastKey();
    for (int trial = 0; trial < 200; trial++) {
      restore();
      long id = clean.keySet().stream().skip(random.nextInt(clean.size())).findFirst().orElseThrow();
      int limit = id == lastId ? (int) lastRecord().offsetBytes() : clean.get(id).length;
      int offset = random.nextInt(limit);
      byte[] bytes = clean.get(id).clone();
      bytes[offset] ^= (byte) (1 + random.nextInt(255));
      Path file = WalFormat.segmentPath(dir, id);
      Files.write(file, bytes);
      String context = "trial " + trial + ": byte " + offset + " of segment " + id + " (seed " + seed + ")";

      CorruptionException e = catchThrowableOfType(CorruptionException.class, () -> Wals.recover(disk, dir, 1, options));
      assertThat(e).as(context).isNotNull();
      long expectedOffset = offset < WalFormat.HEADER_BYTES ? 0 : recordStart(id, offset);
      assertThat(e.offset()).as(context).isEqualTo(expectedOffset);
      assertThat(e.file()).as(context).isEqualTo(file.toString());
      assertThat(e.getMessage()).as(context).contains("WAL segment " + id + (offset < 16 ? " header" : " record"));
      assertThat(Files.readAllBytes(file)).as("recovery must not repair damage: " + context).isEqualTo(bytes);
    }
  }

  @Test
  void aCutOrGarbledEndOfTheLastSegmentIsATornTail() throws IOException {
    long lastId = clean.lastKey();
    byte[] last = clean.get(lastId);
    int firstRecordOffset = WalFormat.HEADER_BYTES;
    for (int trial = 0; trial < 200; trial++) {
      restore();
      int cut = firstRecordOffset + random.nextInt(last.length - firstRecordOffset);
      byte[] torn = Arrays.copyOf(last, cut + (random.nextBoolean() ? 0 : 1 + random.nextInt(512)));
      for (int i = cut; i < torn.length; i++) {
        torn[i] = (byte) random.nextInt(256); // garbage after the cut, as a torn sector holds
      }
      if (torn.length > cut && cut < last.length) {
        // the first garbage byte differs from the byte it replaces: a random byte equal to it (1 in 256)
        // leaves the record ending there intact, and recovery rightly keeps it
        torn[cut] = (byte) (last[cut] ^ (1 + random.nextInt(255)));
      }
      Path file = WalFormat.segmentPath(dir, lastId);
      Files.write(file, torn);
      String context = "trial " + trial + ": cut at " + cut + ", " + (torn.length - cut) + " garbage bytes (seed " + seed + ")";

      Wals.Recovered recovered = Wals.recover(disk, dir, 1, options);
      List<WalRecord> expected = new ArrayList<>();
      for (WalRecord record : cleanRecords) {
        long end = record.offsetBytes() + WalFormat.RECORD_HEADER_BYTES + record.payload().length();
        if (record.segmentId() < lastId || end <= cut) {
          expected.add(record);
        }
      }
      assertThat(recovered.records()).as(context).containsExactlyElementsOf(expected);
      long validEnd = expected.get(expected.size() - 1).segmentId() == lastId
          ? expected.get(expected.size() - 1).offsetBytes() + WalFormat.RECORD_HEADER_BYTES
              + expected.get(expected.size() - 1).payload().length()
          : WalFormat.HEADER_BYTES;
      assertThat(Files.size(file)).as(context).isEqualTo(validEnd);
      assertThat(recovered.recovery().truncatedBytes()).as(context).isEqualTo(torn.length - validEnd);
      assertThat(Wals.recover(disk, dir, 1, options).recovery().truncatedBytes()).as("second recovery, " + context).isZero();
    }
  }

  @Test
  void aFlippedByteInTheLastRecordIsTruncatedAsATornTail() throws IOException {
    long lastId = clean.lastKey();
    WalRecord last = lastRecord();
    byte[] bytes = clean.get(lastId).clone();
    int offset = (int) last.offsetBytes() + random.nextInt(bytes.length - (int) last.offsetBytes());
    bytes[offset] ^= 0x40;
    Files.write(WalFormat.segmentPath(dir, lastId), bytes);
    Wals.Recovered recovered = Wals.recover(disk, dir, 1, options);
    assertThat(recovered.records()).containsExactlyElementsOf(cleanRecords.subList(0, cleanRecords.size() - 1));
    assertThat(Files.size(WalFormat.segmentPath(dir, lastId))).isEqualTo(last.offsetBytes());
  }

  @Test
  void aLastSegmentWithATornHeaderIsDeleted() throws IOException {
    long next = clean.lastKey() + 1;
    for (int length = 0; length <= WalFormat.HEADER_BYTES; length++) {
      restore();
      byte[] header = Arrays.copyOf(WalFormat.header(next), length);
      if (length == WalFormat.HEADER_BYTES) {
        header[2] = 'X'; // a whole header of garbage
      }
      Files.write(WalFormat.segmentPath(dir, next), header);
      Wals.Recovered recovered = Wals.recover(disk, dir, 1, options);
      assertThat(recovered.records()).as("header of %d bytes", length).containsExactlyElementsOf(cleanRecords);
      assertThat(Files.exists(WalFormat.segmentPath(dir, next))).isFalse();
      assertThat(recovered.recovery().nextSegmentId()).isEqualTo(next + 1);
    }
  }

  @Test
  void badHeadersAreCorruptionNamingTheValue() throws IOException {
    long first = clean.firstKey();
    Path file = WalFormat.segmentPath(dir, first);
    byte[] version = clean.get(first).clone();
    version[4] = 2;
    Files.write(file, version);
    assertThatThrownBy(() -> Wals.recover(disk, dir, 1, options)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("WAL segment " + first + " header is corrupt at offset 0 of file " + file)
        .hasMessageContaining("unknown version 2 (this build reads version 1)");

    byte[] flags = clean.get(first).clone();
    flags[6] = 1;
    Files.write(file, flags);
    assertThatThrownBy(() -> Wals.recover(disk, dir, 1, options)).hasMessageContaining("unknown flags 0x0001");

    byte[] id = clean.get(first).clone();
    id[8] = 99;
    Files.write(file, id);
    assertThatThrownBy(() -> Wals.recover(disk, dir, 1, options))
        .hasMessageContaining("segment id 99 in the header, but the file is named for " + first);

    Files.write(file, Arrays.copyOf(clean.get(first), 10));
    assertThatThrownBy(() -> Wals.recover(disk, dir, 1, options))
        .hasMessageContaining("the file is 10 bytes, shorter than the 16-byte header");
  }
}
