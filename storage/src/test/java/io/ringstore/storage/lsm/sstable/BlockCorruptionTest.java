package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Damaged blocks: the block decoder alone accepts only well-formed contents and otherwise throws
 * {@link CorruptionException}; behind a trailer, every flipped byte and every truncation is caught.
 */
class BlockCorruptionTest {

  @Provide
  Arbitrary<TreeMap<Bytes, Bytes>> maps() {
    return Tables.maps(40);
  }

  @Property
  void randomBytesDecodeToAWellFormedBlockOrCorruption(@ForAll @Size(max = 120) byte[] bytes) {
    Mutations.decodeOrCorruption(() -> Block.decode(bytes)).ifPresent(BlockCorruptionTest::assertWellFormed);
  }

  @Property
  void aFlippedByteInContentsGivesAWellFormedBlockOrCorruption(@ForAll("maps") TreeMap<Bytes, Bytes> model,
      @ForAll @IntRange(min = 1, max = 8) int restartInterval, @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] contents = Tables.block(model, restartInterval);
    byte[] damaged = Mutations.flip(contents, where % contents.length, mask);
    Mutations.decodeOrCorruption(() -> Block.decode(damaged)).ifPresent(BlockCorruptionTest::assertWellFormed);
  }

  @Property(tries = 200)
  void everyTruncationOfContentsGivesAWellFormedBlockOrCorruption(@ForAll("maps") TreeMap<Bytes, Bytes> model,
      @ForAll @IntRange(min = 1, max = 8) int restartInterval) {
    byte[] contents = Tables.block(model, restartInterval);
    for (int length = 0; length < contents.length; length++) {
      byte[] truncated = Mutations.truncate(contents, length);
      Mutations.decodeOrCorruption(() -> Block.decode(truncated)).ifPresent(BlockCorruptionTest::assertWellFormed);
    }
  }

  @Property(tries = 200)
  void everyFlippedByteOfASealedBlockIsAChecksumMismatch(@ForAll("maps") TreeMap<Bytes, Bytes> model,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] physical = BlockTrailer.seal(Tables.block(model, 4), BlockCompression.NONE);
    for (int i = 0; i < physical.length; i++) {
      byte[] damaged = Mutations.flip(physical, i, mask);
      assertThatThrownBy(() -> BlockTrailer.open(damaged, 0, damaged.length, Integer.MAX_VALUE, "data block"))
          .isInstanceOf(CorruptionException.class).hasMessageContaining("data block is corrupt at offset 0")
          .hasMessageContaining("checksum mismatch");
    }
  }

  @Property(tries = 200)
  void everyTruncationOfASealedBlockIsCorruption(@ForAll("maps") TreeMap<Bytes, Bytes> model) {
    byte[] physical = BlockTrailer.seal(Tables.block(model, 4), BlockCompression.NONE);
    for (int length = 0; length < physical.length; length++) {
      int cut = length;
      assertThatThrownBy(() -> BlockTrailer.open(physical, 0, cut, Integer.MAX_VALUE, "data block"))
          .isInstanceOf(CorruptionException.class);
    }
  }

  @Property
  void randomBytesBehindATrailerGiveCorruption(@ForAll @Size(max = 64) byte[] bytes) {
    Optional<byte[]> opened = Mutations.decodeOrCorruption(
        () -> BlockTrailer.open(bytes, 0, bytes.length, Integer.MAX_VALUE, "data block"));
    // a random 4-byte checksum matches with probability 2^-32; then the contents must still decode or fail cleanly
    opened.ifPresent(contents -> Mutations.decodeOrCorruption(() -> Block.decode(contents)));
  }

  @Test
  void checksShapeTheErrorMessage() {
    assertCorrupt("01000000", "at offset 0: restart count 1 needs 4 bytes of restart offsets but only 0 bytes precede it");
    assertCorrupt("000000", "a block needs at least 4 bytes");
    assertCorrupt("00010061" + "00000000", "restart count is 0 but 4 bytes of entries precede it");
    // restart 0 at offset 1: not the first entry
    assertCorrupt("00010061" + "01000000" + "01000000", "restart point 0 is at offset 1, not at the first entry");
    // second entry claims 2 shared bytes but the previous key has 1
    assertCorrupt("00010061" + "02010062" + "00000000" + "01000000", "entry 1 shared key length");
    // second entry "a" after "b"
    assertCorrupt("00010062" + "00010061" + "00000000" + "04000000" + "02000000", "entry 1 key is not greater");
    // second entry is restart point 1 but shares a byte
    assertCorrupt("00010061" + "01010062" + "00000000" + "04000000" + "02000000", "shares 1 key bytes");
    // restart 1 points into the middle of entry 0
    assertCorrupt("00020061" + "62" + "00000000" + "02000000" + "02000000", "restart point 1 at offset 2 is not the start of an entry");
    // value length runs past the entries
    assertCorrupt("00010961" + "00000000" + "01000000", "entry 0 value length = 9");
  }

  @Test
  void theTrailerNamesBothChecksumsAndUnknownCompression() {
    byte[] physical = BlockTrailer.seal(Tables.block(Map.of(Bytes.utf8("k"), Bytes.utf8("v")), 16), BlockCompression.NONE);
    byte[] damaged = Mutations.flip(physical, 3, 0x40);
    assertThatThrownBy(() -> BlockTrailer.open(damaged, 0, damaged.length, 1 << 20, "index block"))
        .isInstanceOf(CorruptionException.class)
        .hasMessageMatching("index block is corrupt at offset 0: block checksum mismatch over \\d+ bytes: "
            + "stored crc32c 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}");
    assertThatThrownBy(() -> BlockTrailer.open(physical, 0, physical.length, 3, "data block"))
        .isInstanceOf(CorruptionException.class).hasMessageContaining("exceed the limit of 3 bytes");
    for (int type : List.of(1, 2, 255)) {
      byte[] typed = withType(physical, type);
      assertThatThrownBy(() -> BlockTrailer.open(typed, 0, typed.length, 1 << 20, "data block"))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining(type == 1 ? "a zstd block must be one zstd frame" : "unknown compression type " + type);
    }
  }

  @Test
  void aCorruptionCanBePlacedInAFile() {
    CorruptionException inBlock = new CorruptionException("data block", 7, "something");
    CorruptionException inFile = inBlock.locatedIn("000042.sst", 4096);
    assertThat(inFile.offset()).isEqualTo(4103);
    assertThat(inFile.file()).isEqualTo("000042.sst");
    assertThat(inFile.detail()).isEqualTo("something");
    assertThat(inFile).hasMessage("data block is corrupt at offset 4103 of file 000042.sst: something").hasCause(inBlock);
  }

  /** A copy of a sealed block with another type byte and a checksum that matches it. */
  private static byte[] withType(byte[] physical, int type) {
    byte[] copy = physical.clone();
    int stored = copy.length - BlockTrailer.SIZE_BYTES;
    copy[stored] = (byte) type;
    Varints.putFixed32(copy, stored + 1, BlockTrailer.mask(BlockTrailer.crc32c(copy, 0, stored, type)));
    return copy;
  }

  private static void assertCorrupt(String hex, String message) {
    assertThatThrownBy(() -> Block.decode(VarintsTest.hex(hex))).isInstanceOf(CorruptionException.class)
        .hasMessageContaining(message);
  }

  /** Whatever a decoded block holds, reading it is consistent and never throws. */
  private static void assertWellFormed(Block block) {
    List<Map.Entry<Bytes, Bytes>> entries = BlockTest.entries(block);
    assertThat(entries).hasSize(block.entryCount());
    for (int i = 1; i < entries.size(); i++) {
      assertThat(entries.get(i - 1).getKey()).isLessThan(entries.get(i).getKey());
    }
    for (Map.Entry<Bytes, Bytes> entry : entries) {
      assertThat(block.get(entry.getKey().toByteArray())).isEqualTo(entry.getValue());
    }
  }
}
