package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.NioDisk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables assembled from the codecs, with valid checksums but content the builder never writes:
 * what the reader accepts (a table without a filter, unknown meta blocks) and what it refuses
 * (handles that point outside their region).
 */
class TableReaderCraftedTest {

  @TempDir Path dir;

  private final NioDisk disk = new NioDisk();

  /** A file under construction: sealed blocks appended in order. */
  private static final class Assembly {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    BlockHandle block(byte[] contents) {
      byte[] physical = BlockTrailer.seal(contents, BlockCompression.NONE);
      BlockHandle handle = new BlockHandle(out.size(), physical.length - BlockTrailer.SIZE_BYTES);
      out.writeBytes(physical);
      return handle;
    }

    byte[] finish(BlockHandle metaindex, BlockHandle index) {
      out.writeBytes(new Footer(metaindex, index).encode());
      return out.toByteArray();
    }
  }

  private static byte[] dataBlock() {
    BlockBuilder data = new BlockBuilder();
    data.add(Bytes.utf8("apple"), Bytes.utf8("red"));
    data.add(Bytes.utf8("banana"), Bytes.utf8("yellow"));
    return data.finish();
  }

  private static byte[] index(BlockHandle dataHandle) {
    BlockBuilder index = new BlockBuilder(1);
    index.add(Bytes.utf8("banana"), Bytes.of(dataHandle.encode()));
    return index.finish();
  }

  @Test
  void aTableWithoutAFilterAndWithUnknownMetaBlocksIsRead() throws IOException {
    Assembly table = new Assembly();
    BlockHandle data = table.block(dataBlock());
    BlockBuilder metaindex = new BlockBuilder();
    metaindex.add("filter.other".getBytes(StandardCharsets.UTF_8), data.encode()); // a name this reader ignores
    BlockHandle meta = table.block(metaindex.finish());
    BlockHandle index = table.block(index(data));
    Path path = dir.resolve("nofilter.sst");
    Files.write(path, table.finish(meta, index));
    try (TableReader reader = TableReader.open(disk, path)) {
      assertThat(reader.hasFilter()).isFalse();
      assertThat(reader.get(Bytes.utf8("banana"))).isEqualTo(Bytes.utf8("yellow"));
      assertThat(reader.get(Bytes.utf8("cherry"))).isNull();
      assertThat(reader.get(Bytes.utf8("apricot"))).isNull();
      assertThat(reader.stats().blockReads()).isEqualTo(2); // no filter: "apricot" needed a block read
    }
  }

  @Test
  void anIndexHandleOutsideTheDataRegionIsRefusedAtOpen() throws IOException {
    Assembly table = new Assembly();
    BlockHandle data = table.block(dataBlock());
    BlockHandle meta = table.block(new BlockBuilder().finish());
    // the index points at the metaindex block, past the data region
    BlockHandle index = table.block(index(meta));
    Path path = dir.resolve("badindex.sst");
    Files.write(path, table.finish(meta, index));
    assertThatThrownBy(() -> TableReader.open(disk, path)).isInstanceOfSatisfying(CorruptionException.class, e -> {
      assertThat(e.structure()).isEqualTo("index block entry 0");
      assertThat(e.file()).isEqualTo(path.toString());
      assertThat(e.offset()).isEqualTo(index.offset());
      assertThat(e.getMessage()).contains("outside the range [0, " + meta.offset() + ")");
    });
    assertThat(data.offset()).isZero();
  }

  @Test
  void aFooterHandlePastTheFooterIsRefusedAtOpen() throws IOException {
    Assembly table = new Assembly();
    BlockHandle data = table.block(dataBlock());
    BlockHandle meta = table.block(new BlockBuilder().finish());
    BlockHandle index = table.block(index(data));
    Path path = dir.resolve("badfooter.sst");
    Files.write(path, table.finish(meta, new BlockHandle(index.offset(), index.sizeBytes() + 100)));
    assertThatThrownBy(() -> TableReader.open(disk, path)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("index block handle is corrupt at offset " + (Files.size(path) - Footer.ENCODED_LENGTH)
            + " of file " + path);
  }
}
