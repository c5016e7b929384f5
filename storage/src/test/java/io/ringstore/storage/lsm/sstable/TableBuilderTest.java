package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.NioDisk;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder's bounds, order check, states and settings. */
class TableBuilderTest {

  @TempDir Path dir;

  private final NioDisk disk = new NioDisk();

  @Test
  void keysOutOfOrderAreRefusedNamingBothAndTheBuilderStaysUsable() throws IOException {
    Path path = dir.resolve("t.sst");
    try (TableBuilder builder = TableBuilder.create(disk, path, TableOptions.defaults())) {
      builder.add(Bytes.utf8("b"), Bytes.utf8("1"));
      assertThatThrownBy(() -> builder.add(Bytes.utf8("a"), Bytes.utf8("2")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("key #1 " + Bytes.utf8("a")).hasMessageContaining("key #0 " + Bytes.utf8("b"))
          .hasMessageContaining(path.toString());
      assertThatThrownBy(() -> builder.add(Bytes.utf8("b"), Bytes.utf8("2")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increase");
      // unsigned order: 0x80 sorts after 'c'
      builder.add(Bytes.utf8("c"), Bytes.utf8("3"));
      builder.add(Bytes.of(new byte[] {(byte) 0x80}), Bytes.utf8("4"));
      assertThat(builder.finish().entryCount()).isEqualTo(3);
    }
    try (TableReader reader = TableReader.open(disk, path)) {
      assertThat(reader.get(Bytes.of(new byte[] {(byte) 0x80}))).isEqualTo(Bytes.utf8("4"));
      assertThat(reader.get(Bytes.utf8("a"))).isNull();
    }
  }

  @Test
  void keysAndValuesPastTheirBoundsAreRefusedNamingTheBound() throws IOException {
    TableOptions options = TableOptions.defaults().withMaxKeyBytes(8).withMaxValueBytes(16);
    try (TableBuilder builder = TableBuilder.create(disk, dir.resolve("t.sst"), options)) {
      assertThatThrownBy(() -> builder.add(new byte[9], new byte[1])).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("key of 9 bytes exceeds table.maxKeyBytes = 8 bytes");
      assertThatThrownBy(() -> builder.add(new byte[1], new byte[17])).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("value of 17 bytes").hasMessageContaining("table.maxValueBytes = 16 bytes");
      builder.add(new byte[8], new byte[16]); // at the bounds
      assertThat(builder.entryCount()).isEqualTo(1);
    }
  }

  @Test
  void aFinishedBuilderTakesNoMoreEntriesAndAnAbandonedOneLeavesNoFile() throws IOException {
    Path finished = dir.resolve("1.sst");
    TableBuilder builder = TableBuilder.create(disk, finished, TableOptions.defaults());
    builder.add(Bytes.utf8("k"), Bytes.utf8("v"));
    builder.finish();
    assertThatThrownBy(() -> builder.add(Bytes.utf8("l"), Bytes.utf8("v"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("finished");
    assertThatThrownBy(builder::finish).isInstanceOf(IllegalStateException.class);
    builder.abandon(); // a finished table is kept
    assertThat(Files.exists(finished)).isTrue();

    Path abandoned = dir.resolve("2.sst");
    TableBuilder other = TableBuilder.create(disk, abandoned, TableOptions.defaults().withBlockSizeBytes(256));
    for (int i = 0; i < 100; i++) {
      other.add(Bytes.utf8(String.format("key%05d", i)), Bytes.of(new byte[40]));
    }
    assertThat(other.writtenBytes()).isPositive();
    other.abandon();
    assertThat(Files.exists(abandoned)).isFalse();
    assertThatThrownBy(() -> TableBuilder.create(disk, finished, TableOptions.defaults()))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void blocksAreCutAtTheTargetSize() throws IOException {
    TreeMap<Bytes, Bytes> model = new TreeMap<>();
    for (int i = 0; i < 1_000; i++) {
      model.put(Bytes.utf8(String.format("key%06d", i)), Bytes.of(new byte[100]));
    }
    TableSummary small = TableFixtures.write(disk, dir.resolve("small.sst"), model,
        TableOptions.defaults().withBlockSizeBytes(1024));
    TableSummary large = TableFixtures.write(disk, dir.resolve("large.sst"), model, TableOptions.defaults());
    // an entry takes 103 to 112 bytes (prefix compression): 10 entries reach 1 KiB, 37 to 40 reach 4 KiB
    assertThat(small.dataBlockCount()).isEqualTo(100);
    assertThat(large.dataBlockCount()).isBetween(25, 28);
  }

  @Test
  void settingsOutOfRangeAreRefusedNamingSettingValueAndBound() {
    assertThatThrownBy(() -> TableOptions.defaults().withBlockSizeBytes(100))
        .hasMessage("table.blockSizeBytes = 100 bytes is out of range; need 256 <= table.blockSizeBytes <= 67108864 bytes");
    assertThatThrownBy(() -> TableOptions.defaults().withBloomBitsPerKey(0))
        .hasMessageContaining("table.bloomBitsPerKey = 0 bits is out of range");
    assertThatThrownBy(() -> TableOptions.defaults().withRestartInterval(0))
        .hasMessageContaining("table.restartInterval = 0 entries");
    assertThatThrownBy(() -> TableOptions.defaults().withMaxKeyBytes(0)).hasMessageContaining("table.maxKeyBytes = 0");
    assertThatThrownBy(() -> TableOptions.defaults().withMaxValueBytes(-1)).hasMessageContaining("table.maxValueBytes = -1");
    assertThat(TableOptions.defaults()).isEqualTo(new TableOptions(4096, 16, 10, 65536, 16 << 20));
  }
}
