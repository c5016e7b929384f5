package io.ringstore.storage.lsm.sstable;

import com.github.luben.zstd.ZstdCompressCtx;
import io.ringstore.spi.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * zstd frames for tests: honest ones, and frames with a rewritten header (content size, none, or
 * a crafted run-length frame), sealed behind a trailer whose checksum matches, so that only the
 * zstd checks can catch them. Frame layout from RFC 8878, section 3.1.1.
 */
final class ZstdFrames {
  private ZstdFrames() {}

  /** {@code contents} as one zstd frame, as the table builder writes it (level 3, content size). */
  static byte[] frame(byte[] contents) {
    return BlockCompressor.zstdFrame(contents, 0, contents.length, TableOptions.DEFAULT_ZSTD_LEVEL);
  }

  /** {@code contents} as one zstd frame that does not record its content size. */
  static byte[] frameWithoutContentSize(byte[] contents) {
    try (ZstdCompressCtx context = new ZstdCompressCtx()) {
      return context.setLevel(3).setContentSize(false).compress(contents);
    }
  }

  /**
   * A copy of {@code frame} whose header declares {@code contentSize} instead, in the same field
   * (which must be wide enough: 1 byte holds 0 to 255, 2 bytes 256 to 65,791, 4 and 8 bytes more).
   */
  static byte[] withDeclaredSize(byte[] frame, long contentSize) {
    int descriptor = frame[4] & 0xff;
    int sizeFlag = descriptor >>> 6;
    boolean singleSegment = (descriptor & 0x20) != 0;
    int dictionaryIdBytes = new int[] {0, 1, 2, 4}[descriptor & 3];
    int fieldBytes = sizeFlag == 0 ? (singleSegment ? 1 : 0) : 1 << sizeFlag;
    long field = fieldBytes == 2 ? contentSize - 256 : contentSize;
    if (fieldBytes == 0 || field < 0 || (fieldBytes < 8 && field >= 1L << (8 * fieldBytes))) {
      throw new IllegalArgumentException("content size " + contentSize + " does not fit the frame's "
          + fieldBytes + "-byte field");
    }
    byte[] copy = frame.clone();
    int at = 5 + (singleSegment ? 0 : 1) + dictionaryIdBytes;
    for (int i = 0; i < fieldBytes; i++) {
      copy[at + i] = (byte) (field >>> (8 * i));
    }
    return copy;
  }

  /**
   * A crafted frame of 17 bytes: a header declaring {@code contentSize} (8-byte field, single
   * segment), then one last run-length block repeating {@code 'x'} 128 KiB times.
   */
  static byte[] runLengthFrame(long contentSize) {
    byte[] frame = new byte[17];
    Varints.putFixed32(frame, 0, BlockDecompressors.ZSTD_MAGIC);
    frame[4] = (byte) 0xe0; // content size flag 3 (8 bytes), single segment, no checksum, no dictionary
    Varints.putFixed64(frame, 5, contentSize);
    int blockHeader = 1 | (1 << 1) | ((128 << 10) << 3); // last block, type RLE, 128 KiB
    frame[13] = (byte) blockHeader;
    frame[14] = (byte) (blockHeader >>> 8);
    frame[15] = (byte) (blockHeader >>> 16);
    frame[16] = 'x';
    return frame;
  }

  /** {@code stored} followed by a trailer with type {@code type} and a matching checksum. */
  static byte[] sealRaw(byte[] stored, int type) {
    byte[] physical = new byte[stored.length + BlockTrailer.SIZE_BYTES];
    System.arraycopy(stored, 0, physical, 0, stored.length);
    physical[stored.length] = (byte) type;
    Varints.putFixed32(physical, stored.length + 1,
        BlockTrailer.mask(BlockTrailer.crc32c(stored, 0, stored.length, type)));
    return physical;
  }

  /** Block contents that compress well: entries whose values repeat a few words. */
  static byte[] compressibleBlock(Random random, int entries) {
    BlockBuilder block = new BlockBuilder();
    for (int i = 0; i < entries; i++) {
      block.add(Bytes.utf8(String.format("key%06d", i)), Bytes.of(halfCompressibleValue(random, 200)));
    }
    return block.finish();
  }

  /**
   * A value of 0 to {@code maxBytes} whose first half is random bytes and second half a repeated
   * word: zstd stores it in a little over half its length.
   */
  static byte[] halfCompressibleValue(Random random, int maxBytes) {
    byte[] value = new byte[random.nextInt(maxBytes + 1)];
    int half = value.length / 2;
    for (int i = 0; i < half; i++) {
      value[i] = (byte) random.nextInt(256);
    }
    byte[] word = {'r', 'i', 'n', 'g', (byte) ('a' + random.nextInt(4))};
    for (int i = half; i < value.length; i++) {
      value[i] = word[(i - half) % word.length];
    }
    return value;
  }

  /** The type byte of every data block of a table file, in file order (through footer and index). */
  static List<Integer> dataBlockTypes(byte[] file) {
    Footer footer = Footer.decode(file, file.length - Footer.ENCODED_LENGTH, Footer.ENCODED_LENGTH);
    List<Integer> types = new ArrayList<>();
    for (BlockHandle handle : dataHandles(file, footer.indexHandle())) {
      types.add(file[(int) (handle.offset() + handle.sizeBytes())] & 0xff);
    }
    return types;
  }

  /** The data block handles listed in the index block at {@code indexHandle}. */
  static List<BlockHandle> dataHandles(byte[] file, BlockHandle indexHandle) {
    Block index = Block.decode(BlockTrailer.open(file, (int) indexHandle.offset(),
        (int) indexHandle.sizeBytes() + BlockTrailer.SIZE_BYTES, Integer.MAX_VALUE, "index block"));
    List<BlockHandle> handles = new ArrayList<>();
    Block.Cursor cursor = index.cursor();
    for (cursor.seekToFirst(); cursor.isValid(); cursor.next()) {
      handles.add(BlockHandle.decodeExactly(cursor.value().toByteArray(), "index entry"));
    }
    return handles;
  }
}
