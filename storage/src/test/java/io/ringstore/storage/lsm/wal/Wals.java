package io.ringstore.storage.lsm.wal;

import io.ringstore.spi.env.Disk;
import io.ringstore.spi.testkit.FakeTime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test shortcuts: recover a directory into a list, open a writer after it. Thread-safety: stateless. */
final class Wals {

  private Wals() {}

  /** What a recovery returned and replayed. */
  record Recovered(WalRecovery recovery, List<WalRecord> records) {
    List<byte[]> payloads() {
      return records.stream().map(r -> r.payload().toByteArray()).toList();
    }
  }

  static Recovered recover(Disk disk, Path dir, long fromSegmentId, WalOptions options) throws IOException {
    List<WalRecord> records = new ArrayList<>();
    WalRecovery recovery = WalReader.recover(disk, dir, fromSegmentId, options.maxRecordBytes(), records::add);
    return new Recovered(recovery, records);
  }

  static Recovered recover(Disk disk, Path dir) throws IOException {
    return recover(disk, dir, 1, WalOptions.defaults(WalSyncMode.ALWAYS));
  }

  static WalWriter open(Disk disk, Path dir, WalOptions options, long segmentId) throws IOException {
    return WalWriter.open(disk, dir, options, segmentId, new FakeTime(), Runnable::run);
  }
}
