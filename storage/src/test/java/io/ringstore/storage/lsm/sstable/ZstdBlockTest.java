package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import io.ringstore.spi.Bytes;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * zstd blocks (type 1): they round-trip; a damaged stored byte is a checksum mismatch; and a frame
 * behind a valid checksum that is not one well-formed frame of its declared size, within the
 * limit, is {@link CorruptionException}, never another exception and never a large allocation.
 */
class ZstdBlockTest {

  @Provide
  Arbitrary<TreeMap<Bytes, Bytes>> maps() {
    return Tables.maps(60);
  }

  @Property(tries = 300)
  void aZstdBlockReadsBackAsItsContents(@ForAll("maps") TreeMap<Bytes, Bytes> model,
      @ForAll @IntRange(min = 1, max = 8) int restartInterval) {
    byte[] contents = Tables.block(model, restartInterval);
    byte[] physical = BlockTrailer.seal(contents, BlockCompression.ZSTD);
    assertThat(physical[physical.length - BlockTrailer.SIZE_BYTES]).isEqualTo((byte) BlockCompression.ZSTD_CODE);
    byte[] opened = BlockTrailer.open(physical, 0, physical.length, contents.length, "data block");
    assertThat(opened).isEqualTo(contents);
    assertThat(BlockTest.entries(Block.decode(opened))).containsExactlyElementsOf(model.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue())).toList());
  }

  @Property(tries = 100)
  void everyFlippedByteOfAZstdBlockIsAChecksumMismatch(@ForAll("maps") TreeMap<Bytes, Bytes> model,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] physical = BlockTrailer.seal(Tables.block(model, 4), BlockCompression.ZSTD);
    for (int i = 0; i < physical.length; i++) {
      byte[] damaged = Mutations.flip(physical, i, mask);
      assertThatThrownBy(() -> BlockTrailer.open(damaged, 0, damaged.length, 1 << 20, "data block"))
          .isInstanceOf(CorruptionException.class).hasMessageContaining("checksum mismatch");
    }
  }

  /**
   * What a fuzzer would try behind a checksum that matches: any flipped byte or cut of a zstd frame
   * gives contents or corruption. (A damaged frame may decompress to other bytes; on disk the
   * checksum stops it first, as the property above shows.)
   */
  @Property(tries = 1000)
  void aDamagedFrameBehindAValidChecksumGivesContentsOrCorruption(@ForAll("maps") TreeMap<Bytes, Bytes> model,
      @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll @IntRange(min = 1, max = 255) int mask,
      @ForAll @IntRange(min = 0, max = 100_000) int cut) {
    byte[] frame = ZstdFrames.frame(Tables.block(model, 2));
    byte[] damaged = Mutations.flip(frame, where % frame.length, mask);
    byte[] truncated = Mutations.truncate(damaged, cut % (frame.length + 1));
    for (byte[] stored : new byte[][] {damaged, truncated}) {
      byte[] physical = ZstdFrames.sealRaw(stored, BlockCompression.ZSTD_CODE);
      Mutations.decodeOrCorruption(() -> BlockTrailer.open(physical, 0, physical.length, 1 << 20, "data block"))
          .ifPresent(contents -> {
            assertThat(contents.length).isLessThanOrEqualTo(1 << 20);
            Mutations.decodeOrCorruption(() -> Block.decode(contents));
          });
    }
  }

  @Test
  void aFrameMustBeOneWellFormedFrameOfItsDeclaredSizeWithinTheLimit() {
    byte[] contents = ZstdFrames.compressibleBlock(new Random(5), 40);
    byte[] frame = ZstdFrames.frame(contents);
    assertThat(frame.length).as("a compressible block compresses").isLessThan(contents.length * 7 / 8);
    assertThat(open(frame, 1 << 20)).isEqualTo(contents);

    assertCorrupt(Arrays.copyOf(frame, 3), 1 << 20, "needs at least the 4-byte frame magic but has 3 bytes");
    byte[] skippable = frame.clone();
    Varints.putFixed32(skippable, 0, 0x184D2A50);
    assertCorrupt(skippable, 1 << 20, "must be one zstd frame, but its magic number is 0x184d2a50, not 0xfd2fb528");
    assertCorrupt(Arrays.copyOf(frame, 5), 1 << 20, "the zstd frame header is malformed");
    assertCorrupt(ZstdFrames.frameWithoutContentSize(contents), 1 << 20, "does not record its content size");
    assertCorrupt(frame, contents.length - 1, "the zstd frame declares " + contents.length
        + " bytes of contents, above the limit of " + (contents.length - 1) + " bytes");
    // 17 bytes may declare up to 17 * 32768 bytes: a true run of 128 KiB passes, a forged 100 MiB does not
    byte[] run = new byte[128 << 10];
    Arrays.fill(run, (byte) 'x');
    assertThat(open(ZstdFrames.runLengthFrame(128 << 10), 1 << 20)).isEqualTo(run);
    assertCorrupt(ZstdFrames.runLengthFrame(100 << 20), Integer.MAX_VALUE,
        "declares 104857600 bytes of contents, more than its 17 stored bytes can hold (at most 32768 times as many)");
    assertCorrupt(ZstdFrames.runLengthFrame(1L << 40), Integer.MAX_VALUE,
        "declares 1099511627776 bytes of contents, above the limit of 352321554 bytes");

    // two frames, or a frame and junk: exactly one frame
    byte[] twice = Arrays.copyOf(frame, 2 * frame.length);
    System.arraycopy(frame, 0, twice, frame.length, frame.length);
    assertCorrupt(twice, 1 << 20, "the zstd frame takes " + frame.length + " of the block's " + twice.length
        + " stored bytes; a zstd block is exactly one frame");
    assertCorrupt(Arrays.copyOf(frame, frame.length + 1), 1 << 20, "a zstd block is exactly one frame");
    assertCorrupt(Arrays.copyOf(frame, frame.length - 1), 1 << 20, "the zstd frame is malformed");

    // a declared size that is not what the frame holds
    assertCorrupt(ZstdFrames.withDeclaredSize(frame, contents.length + 1), 1 << 20, "does not decompress");
    assertCorrupt(ZstdFrames.withDeclaredSize(frame, contents.length - 1), 1 << 20, "does not decompress");
    assertCorrupt(ZstdFrames.withDeclaredSize(frame, 300), 1 << 20, "does not decompress");

    // a well-formed header over a damaged body
    byte[] body = frame.clone();
    for (int i = 10; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    assertCorrupt(body, 1 << 20, "the zstd frame");
  }

  @Test
  void theEmptyFrameIsEmptyContents() {
    byte[] physical = BlockTrailer.seal(new byte[0], BlockCompression.ZSTD);
    assertThat(BlockTrailer.open(physical, 0, physical.length, 0, "data block")).isEmpty();
  }

  @Test
  void aPoolLendsContextsAndKeepsAtMostItsBound() {
    byte[] contents = ZstdFrames.compressibleBlock(new Random(7), 30);
    byte[] physical = BlockTrailer.seal(contents, BlockCompression.ZSTD);
    BlockDecompressors pool = new BlockDecompressors(2);
    for (int i = 0; i < 50; i++) {
      assertThat(BlockTrailer.open(physical, 0, physical.length, 1 << 20, "data block", pool)).isEqualTo(contents);
    }
    assertThat(pool.contextsMade()).isEqualTo(1);
    assertThat(pool.idleContexts()).isEqualTo(1);
    // a failed read gives its context back too
    byte[] bad = ZstdFrames.sealRaw(ZstdFrames.withDeclaredSize(ZstdFrames.frame(contents), 300),
        BlockCompression.ZSTD_CODE);
    assertThatThrownBy(() -> BlockTrailer.open(bad, 0, bad.length, 1 << 20, "data block", pool))
        .isInstanceOf(CorruptionException.class);
    assertThat(pool.contextsMade()).isEqualTo(1);
    assertThat(pool.idleContexts()).isEqualTo(1);
    pool.close();
    assertThat(pool.idleContexts()).isZero();
    // a closed pool still serves, but keeps nothing
    assertThat(BlockTrailer.open(physical, 0, physical.length, 1 << 20, "data block", pool)).isEqualTo(contents);
    assertThat(pool.idleContexts()).isZero();
    pool.close(); // idempotent
    try (BlockDecompressors none = new BlockDecompressors(0)) {
      BlockTrailer.open(physical, 0, physical.length, 1 << 20, "data block", none);
      BlockTrailer.open(physical, 0, physical.length, 1 << 20, "data block", none);
      assertThat(none.contextsMade()).isEqualTo(2);
      assertThat(none.idleContexts()).isZero();
    }
    assertThatThrownBy(() -> new BlockDecompressors(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zstd maxIdleContexts = -1 is out of range; need 0 <= maxIdleContexts <= 1024");
    try (BlockDecompressors shared = BlockDecompressors.perProcessor()) {
      assertThat(shared.idleContexts()).isZero();
    }
  }

  @Test
  void theOptionsLevelBoundsAreZstdJnis() {
    assertThat(TableOptions.MIN_ZSTD_LEVEL).isEqualTo(Zstd.minCompressionLevel());
    assertThat(TableOptions.MAX_ZSTD_LEVEL).isEqualTo(Zstd.maxCompressionLevel());
    assertThat(TableOptions.DEFAULT_ZSTD_LEVEL).isEqualTo(Zstd.defaultCompressionLevel());
    assertThat(BlockDecompressors.ZSTD_MAGIC).isEqualTo(Zstd.magicNumber());
  }

  private static byte[] open(byte[] frame, int maxContentBytes) {
    byte[] physical = ZstdFrames.sealRaw(frame, BlockCompression.ZSTD_CODE);
    return BlockTrailer.open(physical, 0, physical.length, maxContentBytes, "data block");
  }

  private static void assertCorrupt(byte[] frame, int maxContentBytes, String message) {
    assertThatThrownBy(() -> open(frame, maxContentBytes)).isInstanceOf(CorruptionException.class)
        .hasMessageStartingWith("data block is corrupt at offset 0: ").hasMessageContaining(message);
  }
}
