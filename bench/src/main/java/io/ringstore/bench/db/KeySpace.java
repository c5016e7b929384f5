package io.ringstore.bench.db;

/**
 * The benchmarks' 16-byte keys, as RocksDB's db_bench makes them ({@code GenerateKeyFromInt}
 * with no prefix): key number {@code i} is {@code i} as an 8-byte big-endian integer followed by
 * eight bytes of padding, so the byte order of keys is their numeric order.
 *
 * <ul>
 *   <li>an <b>existing</b> key is padded with eight {@code '0'} bytes (0x30), as db_bench pads;
 *   <li>a <b>missing</b> key (for {@code readmissing}) is the same number padded with eight
 *       {@code '1'} bytes (0x31): it sorts just after existing key {@code i} and before key
 *       {@code i + 1}, so it lies inside the key range of every table that could hold it and only
 *       the bloom filter (or a search) can tell that it is absent. (LevelDB's db_bench appends a
 *       dot to a present key instead, making 17 bytes; the padding keeps all keys 16 bytes.)
 * </ul>
 *
 * <p>Example: existing key 258 is {@code 00 00 00 00 00 00 01 02 30 30 30 30 30 30 30 30}.
 *
 * <p>Thread-safety: stateless; every call returns a new array the caller owns.
 */
public final class KeySpace {
  /** The length of every key. */
  public static final int KEY_BYTES = 16;

  private static final byte EXISTING_PAD = '0';
  private static final byte MISSING_PAD = '1';

  private KeySpace() {}

  /** Existing key number {@code index}. */
  public static byte[] existing(long index) {
    return key(index, EXISTING_PAD);
  }

  /** The missing key that sorts right after existing key number {@code index}. */
  public static byte[] missing(long index) {
    return key(index, MISSING_PAD);
  }

  private static byte[] key(long index, byte pad) {
    if (index < 0) {
      throw new IllegalArgumentException("key index = " + index + " is negative");
    }
    byte[] key = new byte[KEY_BYTES];
    for (int i = 0; i < 8; i++) {
      key[i] = (byte) (index >>> (56 - 8 * i));
      key[8 + i] = pad;
    }
    return key;
  }
}
