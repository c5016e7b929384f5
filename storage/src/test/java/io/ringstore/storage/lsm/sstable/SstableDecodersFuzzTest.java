package io.ringstore.storage.lsm.sstable;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Jazzer fuzz tests of the table decoders: whatever the bytes, a decoder gives a value that works
 * or refuses with {@link CorruptionException}; no other exception, no endless loop. The normal build
 * replays each method's corpus ({@code src/test/resources/io/ringstore/storage/lsm/sstable/
 * SstableDecodersFuzzTestInputs/<method>}); {@code mvn -Pfuzz -pl storage test
 * -Dtest=SstableDecodersFuzzTest} fuzzes.
 */
class SstableDecodersFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void block(byte[] input) {
    Block block;
    try {
      block = Block.decode(input);
    } catch (CorruptionException refused) {
      return;
    }
    // a block that decoded is whole: every entry can be walked and found again
    Block.Cursor cursor = block.cursor();
    int entries = 0;
    for (cursor.seekToFirst(); cursor.isValid(); cursor.next()) {
      entries++;
      if (block.get(cursor.key()) == null) {
        throw new AssertionError("a key walked in the block is not found by get: " + cursor.key());
      }
    }
    if (entries != block.entryCount()) {
      throw new AssertionError("walked " + entries + " entries of a block that has " + block.entryCount());
    }
  }

  @FuzzTest(maxDuration = "20s")
  void sealedBlock(byte[] input) {
    try {
      Block.decode(BlockTrailer.open(input, 0, input.length, 1 << 20, "fuzzed block"));
    } catch (CorruptionException refused) {
      // refused: fine
    }
  }

  /**
   * The stored bytes of a zstd block, without a trailer (a fuzzer seldom makes a checksum match):
   * every frame check runs, and contents that come out are within the limit and decode or are
   * refused.
   */
  @FuzzTest(maxDuration = "20s")
  void zstdBlock(byte[] input) {
    byte[] contents;
    try {
      contents = BlockCompression.ZSTD.decompress(input, 0, input.length, 1 << 20, "fuzzed zstd block", null);
    } catch (CorruptionException refused) {
      return;
    }
    if (contents.length > 1 << 20) {
      throw new AssertionError("a zstd block decompressed to " + contents.length + " bytes, past its limit of 1 MiB");
    }
    try {
      Block.decode(contents);
    } catch (CorruptionException refused) {
      // refused: fine
    }
  }

  @FuzzTest(maxDuration = "20s")
  void bloomFilter(byte[] input) {
    BloomFilter filter;
    try {
      filter = BloomFilter.decode(input);
    } catch (CorruptionException refused) {
      return;
    }
    filter.mayContain(input);
  }

  @FuzzTest(maxDuration = "20s")
  void footerAndHandle(byte[] input) {
    try {
      Footer.decode(input);
    } catch (CorruptionException refused) {
      // refused: fine
    }
    try {
      BlockHandle.decode(ByteBuffer.wrap(input));
    } catch (CorruptionException refused) {
      // refused: fine
    }
  }
}
