package io.ringstore.bench.db;

import java.io.IOException;

/**
 * One key-value engine under test, as {@link DbBench} drives it: put, point get, seek with a
 * short scan, and a full compaction. Each adapter maps these onto the engine's own API in the way
 * a Java user of that engine would write them, and documents any choice that could favour one
 * engine (which API variant, which copies).
 *
 * <p>Keys and values are handed over as fresh arrays that the harness never touches again, so an
 * adapter may keep them without copying.
 *
 * <p>Thread-safety: implementations must be thread-safe; the harness calls {@link #put},
 * {@link #get} and {@link #seek} from several threads at once (never {@link #close()} while
 * they run).
 */
public interface Engine extends AutoCloseable {

  /** Writes {@code value} under {@code key}, with the durability the engine was opened with. */
  void put(byte[] key, byte[] value) throws IOException;

  /**
   * Looks {@code key} up.
   *
   * @param valueBuffer scratch space of the calling thread, at least as long as the values, which
   *     an engine whose Java API copies the value into a caller's array may use
   * @return the length of the value found, or {@code -1} if the key is absent
   */
  int get(byte[] key, byte[] valueBuffer) throws IOException;

  /**
   * Positions an iterator at the first key at or after {@code from} and reads up to {@code count}
   * entries (key and value of each) from there.
   *
   * @param keyBuffer scratch space of the calling thread for keys (at least the key length)
   * @param valueBuffer scratch space of the calling thread for values (at least the value length)
   * @return how many entries were read (fewer than {@code count} near the end of the key space)
   */
  int seek(byte[] from, int count, byte[] keyBuffer, byte[] valueBuffer) throws IOException;

  /**
   * Writes everything buffered in memory to tables and compacts all data into the fewest tables
   * the engine makes, returning when done (db_bench's {@code compact}).
   */
  void compactAll() throws IOException;

  /** The engine's name, version and the settings that matter for the comparison, one line. */
  String describe();

  /** Releases everything the engine holds; waits for its background work to stop. */
  @Override
  void close() throws IOException;
}
