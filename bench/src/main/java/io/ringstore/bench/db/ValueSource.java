package io.ringstore.bench.db;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The benchmarks' values, made as db_bench's {@code RandomGenerator} makes them: about 1 MiB of
 * data built from 100-byte pieces, each piece {@code round-down(100 x compressionRatio)} random
 * printable ASCII characters ({@code ' ' + uniform(95)}, as db_bench's {@code RandomString})
 * repeated to fill 100 bytes; a value is the next {@code valueBytes} of that data, wrapping to the
 * start when the rest is too short. With ratio 0.5 each 100-byte value is 50 random characters
 * written twice: a block compressor halves it, and the random characters themselves (6.6 bits of
 * entropy in 8) give a little more.
 *
 * <p>The data comes from the run's seed (db_bench uses a fixed seed of 301); each benchmark
 * thread walks it with its own {@link Cursor}.
 *
 * <p>Thread-safety: immutable after construction; a {@link Cursor} is confined to its thread.
 */
public final class ValueSource {
  private static final int PIECE_BYTES = 100;
  private static final int DATA_BYTES = 1 << 20;

  // constant after construction
  private final byte[] data;
  private final int valueBytes;

  /**
   * The data for {@code valueBytes}-byte values of the given compressibility.
   *
   * @param compressionRatio the fraction of each 100-byte piece that is random, in (0, 1]
   */
  public ValueSource(long seed, int valueBytes, double compressionRatio) {
    if (valueBytes < 1 || valueBytes > DATA_BYTES / 2) {
      throw new IllegalArgumentException("--value_size = " + valueBytes + " is out of range; need 1 <= value_size <= "
          + DATA_BYTES / 2 + " bytes");
    }
    if (!(compressionRatio > 0 && compressionRatio <= 1)) {
      throw new IllegalArgumentException("--compression_ratio = " + compressionRatio
          + " is out of range; need 0 < compression_ratio <= 1");
    }
    this.valueBytes = valueBytes;
    SplittableRandom random = new SplittableRandom(seed);
    int raw = Math.max(1, (int) (PIECE_BYTES * compressionRatio));
    int pieces = (DATA_BYTES + PIECE_BYTES - 1) / PIECE_BYTES;
    data = new byte[pieces * PIECE_BYTES];
    byte[] randomPart = new byte[raw];
    for (int p = 0; p < pieces; p++) {
      for (int i = 0; i < raw; i++) {
        randomPart[i] = (byte) (' ' + random.nextInt(95));
      }
      for (int i = 0; i < PIECE_BYTES; i++) {
        data[p * PIECE_BYTES + i] = randomPart[i % raw];
      }
    }
  }

  /** The length of every value. */
  public int valueBytes() {
    return valueBytes;
  }

  /** A new cursor at the start of the data, for one thread. */
  public Cursor cursor() {
    return new Cursor();
  }

  /**
   * One thread's position in the data.
   *
   * <p>Thread-safety: not thread-safe; confined to the thread that made it.
   */
  public final class Cursor {
    private int position;

    private Cursor() {}

    /** The next value, as a new array the caller owns. */
    public byte[] next() {
      if (position + valueBytes > data.length) {
        position = 0;
      }
      byte[] value = Arrays.copyOfRange(data, position, position + valueBytes);
      position += valueBytes;
      return value;
    }
  }
}
