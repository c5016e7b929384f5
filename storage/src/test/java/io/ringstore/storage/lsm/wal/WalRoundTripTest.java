package io.ringstore.storage.lsm.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.testkit.MemoryDisk;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Records come back exactly, in order, across segments; bounds and settings are checked. On a
 * {@link MemoryDisk} (the fault-injection case wraps it), since nothing here needs a real file.
 */
class WalRoundTripTest {

  private final Path dir = Path.of("/ringstore/wal").toAbsolutePath();
  private Random random;
  private final MemoryDisk disk = new MemoryDisk();

  @BeforeEach
  void setUp(TestInfo test) throws IOException {
    random = new Random(TestSeeds.seed(test));
    disk.mkdirs(dir);
  }

  private byte[] payload(int maxBytes) {
    byte[] bytes = new byte[random.nextInt(maxBytes + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  @Test
  void recordsRoundTripAcrossSegmentsInOrder() throws IOException {
    WalOptions options = WalOptions.defaults(WalSyncMode.NONE).withSegmentBytes(4096);
    List<byte[]> written = new ArrayList<>();
    try (WalWriter writer = Wals.open(disk, dir, options, 1)) {
      for (int i = 0; i < 300; i++) {
        byte[] p = payload(i % 50 == 0 ? 6000 : 200); // some larger than a segment: a segment takes one
        writer.append(p);
        written.add(p);
      }
      assertThat(writer.currentSegmentId()).isGreaterThan(5);
    }
    Wals.Recovered recovered = Wals.recover(disk, dir, 1, options);
    assertThat(recovered.payloads()).containsExactlyElementsOf(written);
    assertThat(recovered.recovery().truncatedBytes()).isZero();
    assertThat(recovered.recovery().segmentIds()).isSorted().startsWith(1L);
    long lastId = recovered.recovery().segmentIds().get(recovered.recovery().segmentIds().size() - 1);
    assertThat(recovered.recovery().nextSegmentId()).isEqualTo(lastId + 1);
    for (Path segment : disk.list(dir)) {
      long id = WalFormat.segmentId(segment);
      long records = recovered.records().stream().filter(r -> r.segmentId() == id).count();
      if (disk.sizeBytes(segment) > 4096) {
        assertThat(records).as("records in %s, larger than wal.segmentBytes", segment).isEqualTo(1);
      }
    }

    // A second writer continues after recovery in a new segment, and both runs replay.
    try (WalWriter writer = Wals.open(disk, dir, options, recovered.recovery().nextSegmentId())) {
      writer.append("after".getBytes());
      written.add("after".getBytes());
    }
    assertThat(Wals.recover(disk, dir, 1, options).payloads()).containsExactlyElementsOf(written);
  }

  @Test
  void rollAndDeleteSegmentsBefore() throws IOException {
    WalOptions options = WalOptions.defaults(WalSyncMode.ALWAYS);
    try (WalWriter writer = Wals.open(disk, dir, options, 3)) {
      assertThat(writer.roll()).as("an empty segment is not rolled").isEqualTo(3);
      writer.append("a".getBytes());
      long second = writer.roll();
      assertThat(second).isEqualTo(4);
      writer.append("b".getBytes());
      assertThatThrownBy(() -> writer.deleteSegmentsBefore(5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the current segment is 4");
      assertThat(writer.deleteSegmentsBefore(second)).isEqualTo(1);
      writer.append("c".getBytes());
    }
    assertThat(Wals.recover(disk, dir).payloads()).containsExactly("b".getBytes(), "c".getBytes());
  }

  @Test
  void recoveryStartsAtTheFirstNeededSegment() throws IOException {
    WalOptions options = WalOptions.defaults(WalSyncMode.ALWAYS);
    try (WalWriter writer = Wals.open(disk, dir, options, 1)) {
      writer.append("old".getBytes());
      writer.roll();
      writer.append("new".getBytes());
    }
    Wals.Recovered recovered = Wals.recover(disk, dir, 2, options);
    assertThat(recovered.payloads()).containsExactly("new".getBytes());
    assertThat(recovered.recovery().segmentIds()).containsExactly(2L);
    assertThat(Wals.recover(disk, dir, 9, options).recovery().nextSegmentId()).isEqualTo(9);
  }

  @Test
  void aRecordOverTheBoundIsRefusedBeforeWriting() throws IOException {
    FaultInjectionDisk fs = new FaultInjectionDisk(disk, dir, FaultInjectionDisk.Syncs.SIMULATED);
    WalOptions options = WalOptions.defaults(WalSyncMode.ALWAYS).withMaxRecordBytes(1000);
    try (WalWriter writer = Wals.open(fs, dir, options, 1)) {
      writer.append(new byte[1000]);
      long writes = fs.operations(FileOp.WRITE);
      assertThatThrownBy(() -> writer.append(new byte[1001]))
          .isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.setting()).isEqualTo("wal.maxRecordBytes");
            assertThat(e.value()).isEqualTo(1001);
            assertThat(e.limit()).isEqualTo(1000);
          })
          .hasMessage("WAL record payload of 1001 bytes exceeds wal.maxRecordBytes = 1000 bytes; refused before writing");
      assertThat(fs.operations(FileOp.WRITE)).isEqualTo(writes);
      writer.append(new byte[1]); // still usable
    }
    assertThat(Wals.recover(fs, dir, 1, options).records()).hasSize(2);
    assertThat(WalOptions.defaults(WalSyncMode.ALWAYS).maxRecordBytes()).isEqualTo(16 << 20);
  }

  @Test
  void aRecoveredLengthOverTheBoundIsDamage() throws IOException {
    WalOptions big = WalOptions.defaults(WalSyncMode.ALWAYS);
    try (WalWriter writer = Wals.open(disk, dir, big, 1)) {
      writer.append(new byte[2000]);
      writer.roll();
      writer.append(new byte[10]);
    }
    assertThatThrownBy(() -> Wals.recover(disk, dir, 1, big.withMaxRecordBytes(1000)))
        .hasMessageContaining("WAL segment 1 record is corrupt at offset 16")
        .hasMessageContaining("record length 2000 bytes exceeds wal.maxRecordBytes = 1000 bytes");
  }

  @Test
  void settingsOutOfRangeNameTheSettingValueAndBound() {
    WalOptions ok = WalOptions.defaults(WalSyncMode.INTERVAL);
    assertThatThrownBy(() -> ok.withMaxRecordBytes(0))
        .hasMessage("wal.maxRecordBytes = 0 bytes is out of range; need 1 <= wal.maxRecordBytes <= 268435456 bytes");
    assertThatThrownBy(() -> ok.withSegmentBytes(100))
        .hasMessageContaining("wal.segmentBytes = 100 bytes is out of range");
    assertThatThrownBy(() -> ok.withSyncInterval(Duration.ZERO))
        .hasMessageContaining("wal.syncInterval = PT0S is out of range");
  }

  @Test
  void aClosedWriterRefusesAppends() throws IOException {
    WalWriter writer = Wals.open(disk, dir, WalOptions.defaults(WalSyncMode.ALWAYS), 1);
    writer.close();
    writer.close();
    assertThatThrownBy(() -> writer.append(new byte[1])).hasMessageContaining("is closed");
    assertThatThrownBy(() -> Wals.open(disk, dir, WalOptions.defaults(WalSyncMode.ALWAYS), 1))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }
}
