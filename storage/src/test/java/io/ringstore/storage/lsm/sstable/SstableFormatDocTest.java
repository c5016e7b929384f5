package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.ringstore.spi.testkit.FormatDocument;
import org.junit.jupiter.api.Test;

/**
 * The worked example in {@code docs/formats/sstable.md} is what this code writes and reads: the
 * test builds the example table, compares every section with the hex in the document, then
 * decodes the document's bytes as a reader would. If the format changes, the failure prints the
 * new bytes of each section to paste into the document.
 *
 * <p>The document marks each example section with {@code <!-- golden: NAME -->} before a fenced
 * block; in the block, text from {@code #} to the end of a line is commentary and the rest is
 * whitespace-separated hex bytes.
 *
 * <p>The last section, {@value #ZSTD_SECTION}, is the data block stored with zstd. It is decoded,
 * not compared with what the encoder writes: another zstd version may encode differently.
 */
class SstableFormatDocTest {
  private static final FormatDocument DOCUMENT = FormatDocument.named("sstable.md");
  private static final String ZSTD_SECTION = "zstd-data-block";

  /** The sections of the example table, in file order (all but the zstd block). */
  private static Map<String, byte[]> tableSections() throws IOException {
    Map<String, byte[]> sections = new LinkedHashMap<>(DOCUMENT.goldenSections());
    assertThat(sections.remove(ZSTD_SECTION)).as("section %s of %s", ZSTD_SECTION, DOCUMENT.path()).isNotNull();
    return sections;
  }

  /** The example table's sections, in file order. */
  static Map<String, byte[]> exampleSections() {
    BlockBuilder data = new BlockBuilder(2);
    data.add(Bytes.utf8("apple"), Bytes.utf8("red"));
    data.add(Bytes.utf8("apricot"), Bytes.utf8("orange"));
    data.add(Bytes.utf8("banana"), Bytes.utf8("yellow"));
    byte[] dataBlock = BlockTrailer.seal(data.finish(), BlockCompression.NONE);
    BlockHandle dataHandle = new BlockHandle(0, dataBlock.length - BlockTrailer.SIZE_BYTES);

    BloomFilterBuilder bloom = new BloomFilterBuilder(10);
    for (String key : List.of("apple", "apricot", "banana")) {
      bloom.add(key.getBytes(StandardCharsets.UTF_8));
    }
    byte[] filterBlock = BlockTrailer.seal(bloom.finish(), BlockCompression.NONE);
    BlockHandle filterHandle = new BlockHandle(dataHandle.endOffset(), filterBlock.length - BlockTrailer.SIZE_BYTES);

    BlockBuilder metaindex = new BlockBuilder();
    metaindex.add(BloomFilter.METAINDEX_KEY.getBytes(StandardCharsets.UTF_8), filterHandle.encode());
    byte[] metaindexBlock = BlockTrailer.seal(metaindex.finish(), BlockCompression.NONE);
    BlockHandle metaindexHandle = new BlockHandle(filterHandle.endOffset(), metaindexBlock.length - BlockTrailer.SIZE_BYTES);

    BlockBuilder index = new BlockBuilder(1);
    index.add(Bytes.utf8("banana"), Bytes.of(dataHandle.encode()));
    byte[] indexBlock = BlockTrailer.seal(index.finish(), BlockCompression.NONE);
    BlockHandle indexHandle = new BlockHandle(metaindexHandle.endOffset(), indexBlock.length - BlockTrailer.SIZE_BYTES);

    Map<String, byte[]> sections = new LinkedHashMap<>();
    sections.put("data-block", dataBlock);
    sections.put("filter-block", filterBlock);
    sections.put("metaindex-block", metaindexBlock);
    sections.put("index-block", indexBlock);
    sections.put("footer", new Footer(metaindexHandle, indexHandle).encode());
    return sections;
  }

  @Test
  void theDocumentsExampleIsWhatTheCodeWrites() throws IOException {
    Map<String, byte[]> golden = tableSections();
    Map<String, byte[]> actual = exampleSections();
    DOCUMENT.assertGoldenIsWritten(golden, actual, SstableFormatDocTest::hexLines);
  }

  @Test
  void theDocumentsBytesDecodeAsATable() throws IOException {
    byte[] file = FormatDocument.concatenate(tableSections().values());
    assertThat(file).hasSize(187);
    Footer footer = Footer.decode(file, file.length - Footer.ENCODED_LENGTH, Footer.ENCODED_LENGTH);

    Block index = Block.decode(open(file, footer.indexHandle(), "index block"));
    Block.Cursor entry = index.cursor();
    entry.seek("apricot".getBytes(StandardCharsets.UTF_8));
    assertThat(entry.key()).isEqualTo(Bytes.utf8("banana"));
    BlockHandle dataHandle = BlockHandle.decodeExactly(entry.value().toByteArray(), "index block entry 0");
    Block data = Block.decode(open(file, dataHandle, "data block"));
    assertThat(BlockTest.entries(data)).containsExactly(
        Map.entry(Bytes.utf8("apple"), Bytes.utf8("red")),
        Map.entry(Bytes.utf8("apricot"), Bytes.utf8("orange")),
        Map.entry(Bytes.utf8("banana"), Bytes.utf8("yellow")));
    assertThat(data.restartCount()).isEqualTo(2);

    Block metaindex = Block.decode(open(file, footer.metaindexHandle(), "metaindex block"));
    Bytes filterValue = metaindex.get(BloomFilter.METAINDEX_KEY.getBytes(StandardCharsets.UTF_8));
    assertThat(filterValue).isNotNull();
    BlockHandle filterHandle = BlockHandle.decodeExactly(filterValue.toByteArray(), "metaindex entry 0");
    BloomFilter filter = BloomFilter.decode(open(file, filterHandle, "filter block"));
    assertThat(filter.hashCount()).isEqualTo(7);
    assertThat(filter.bitCount()).isEqualTo(64);
    for (String key : List.of("apple", "apricot", "banana")) {
      assertThat(filter.mayContain(key.getBytes(StandardCharsets.UTF_8))).as(key).isTrue();
    }
  }

  @Test
  void theDocumentsZstdBlockDecodesToTheDataBlock() throws IOException {
    byte[] golden = DOCUMENT.goldenSections().get(ZSTD_SECTION);
    assertThat(golden).hasSize(66);
    assertThat(golden[golden.length - BlockTrailer.SIZE_BYTES]).isEqualTo((byte) BlockCompression.ZSTD_CODE);
    byte[] dataBlock = exampleSections().get("data-block");
    byte[] contents = Arrays.copyOf(dataBlock, dataBlock.length - BlockTrailer.SIZE_BYTES);
    assertThat(BlockTrailer.open(golden, 0, golden.length, contents.length, "data block")).isEqualTo(contents);
    // the builder stores it as is: the frame does not make it smaller
    assertThat(golden.length - BlockTrailer.SIZE_BYTES).isGreaterThan(contents.length);
  }

  private static byte[] open(byte[] file, BlockHandle handle, String structure) {
    return BlockTrailer.open(file, (int) handle.offset(), (int) handle.sizeBytes() + BlockTrailer.SIZE_BYTES,
        1 << 20, structure);
  }

  /** Sixteen bytes a line, as the document shows unannotated sections. */
  static String hexLines(byte[] bytes) {
    StringBuilder out = new StringBuilder("```text\n");
    for (int i = 0; i < bytes.length; i += 16) {
      out.append(HexFormat.ofDelimiter(" ").formatHex(bytes, i, Math.min(bytes.length, i + 16))).append('\n');
    }
    return out.append("```\n").toString();
  }
}
