package io.ringstore.storage.lsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.storage.lsm.sstable.BlockCompression;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's options as a configuration gives them: defaults, every name, and clear errors. */
class LsmOptionsTest {

  @Test
  void noOptionsGiveTheDocumentedDefaults() {
    LsmOptions o = LsmOptions.parse(Map.of());
    assertThat(o.wal().syncMode()).isEqualTo(WalSyncMode.ALWAYS);
    assertThat(o.memtableBytes()).isEqualTo(64L << 20);
    assertThat(o.maxImmutableMemtables()).isEqualTo(2);
    assertThat(o.blockCacheBytes()).isEqualTo(64L << 20);
    assertThat(o.table().bloomBitsPerKey()).isEqualTo(10);
    assertThat(o.table().compression()).isEqualTo(BlockCompression.ZSTD);
    assertThat(o.level0CompactionTrigger()).isEqualTo(4);
    assertThat(o.level0StopWritesTrigger()).isEqualTo(20);
    assertThat(o.targetBytes(1)).isEqualTo(256L << 20);
    assertThat(o.targetBytes(3)).isEqualTo(25_600L << 20);
  }

  @Test
  void everyOptionNameIsUnderstood() {
    Map<String, String> all = new HashMap<>();
    all.put("wal.syncMode", "Interval");
    all.put("wal.syncIntervalMillis", "250");
    all.put("wal.segmentBytes", "1_048_576");
    all.put("wal.maxRecordBytes", "33554432");
    all.put("memtable.bytes", "8388608");
    all.put("memtable.maxImmutable", "3");
    all.put("table.blockSizeBytes", "8192");
    all.put("table.bloomBitsPerKey", "12");
    all.put("table.maxKeyBytes", "1024");
    all.put("table.maxValueBytes", "1048576");
    all.put("table.compression", "none");
    all.put("table.zstdLevel", "5");
    all.put("blockCache.bytes", "0");
    all.put("compaction.level0Trigger", "6");
    all.put("compaction.level0StopWrites", "30");
    all.put("compaction.level1Bytes", "1048576");
    all.put("compaction.levelMultiplier", "8");
    all.put("compaction.targetFileBytes", "262144");
    all.put("manifest.maxFileBytes", "65536");
    assertThat(all.keySet()).isEqualTo(LsmOptions.OPTION_NAMES);
    LsmOptions o = LsmOptions.parse(all);
    assertThat(o.wal().syncMode()).isEqualTo(WalSyncMode.INTERVAL);
    assertThat(o.wal().syncInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.wal().segmentBytes()).isEqualTo(1 << 20);
    assertThat(o.memtableBytes()).isEqualTo(8 << 20);
    assertThat(o.maxImmutableMemtables()).isEqualTo(3);
    assertThat(o.table().blockSizeBytes()).isEqualTo(8192);
    assertThat(o.table().bloomBitsPerKey()).isEqualTo(12);
    assertThat(o.table().compression()).isEqualTo(BlockCompression.NONE);
    assertThat(o.table().zstdLevel()).isEqualTo(5);
    assertThat(o.blockCacheBytes()).isZero();
    assertThat(o.level0CompactionTrigger()).isEqualTo(6);
    assertThat(o.level0StopWritesTrigger()).isEqualTo(30);
    assertThat(o.levelMultiplier()).isEqualTo(8);
    assertThat(o.targetFileBytes()).isEqualTo(256 << 10);
    assertThat(o.manifest().maxFileBytes()).isEqualTo(64 << 10);
  }

  @Test
  void badOptionsAreRefusedNamingTheOptionTheValueAndTheBound() {
    assertThatThrownBy(() -> LsmOptions.parse(Map.of("memtable.size", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown lsm engine option(s) [memtable.size]")
        .hasMessageContaining("memtable.bytes");
    assertThatThrownBy(() -> LsmOptions.parse(Map.of("memtable.bytes", "lots")))
        .hasMessageContaining("memtable.bytes = 'lots' is not a whole number");
    assertThatThrownBy(() -> LsmOptions.parse(Map.of("memtable.bytes", "100")))
        .hasMessageContaining("memtable.bytes = 100 is out of range; need 4096 <= memtable.bytes <= 1073741824 bytes");
    assertThatThrownBy(() -> LsmOptions.parse(Map.of("wal.syncMode", "sometimes")))
        .hasMessageContaining("wal.syncMode = 'sometimes' is not a sync mode; use always, interval or none");
    assertThatThrownBy(() -> LsmOptions.parse(Map.of("table.compression", "lz4")))
        .hasMessageContaining("table.compression = 'lz4' is not a compression; use zstd or none");
    assertThatThrownBy(() -> LsmOptions.parse(Map.of("table.zstdLevel", "99")))
        .hasMessageContaining("table.zstdLevel = 99 is out of range");
    assertThatThrownBy(() -> LsmOptions.parse(Map.of("compaction.level0Trigger", "8",
        "compaction.level0StopWrites", "8")))
        .hasMessageContaining("compaction.level0StopWrites = 8 is out of range; need 9 <=");
    assertThatThrownBy(() -> LsmOptions.parse(Map.of("table.maxValueBytes", "268435456")))
        .hasMessageContaining("does not fit wal.maxRecordBytes");
  }
}
