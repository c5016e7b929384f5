package io.ringstore.bench.db;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link ConcurrentSkipListMap} of byte arrays in unsigned order, in memory only: lets the
 * harness be run and checked without a disk engine. Its figures are never a result (nothing is
 * written, so durability, space and write amplification mean nothing).
 *
 * <p>Thread-safety: thread-safe (the map is).
 */
public final class SkipListEngine implements Engine {
  private final ConcurrentNavigableMap<byte[], byte[]> map = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

  /** An empty map; {@code config} is ignored (nothing is stored on disk). */
  public SkipListEngine(EngineConfig config) {}

  @Override
  public void put(byte[] key, byte[] value) {
    map.put(key, value);
  }

  @Override
  public int get(byte[] key, byte[] valueBuffer) {
    byte[] v = map.get(key);
    return v == null ? -1 : v.length;
  }

  @Override
  public int seek(byte[] from, int count, byte[] keyBuffer, byte[] valueBuffer) {
    Iterator<Map.Entry<byte[], byte[]>> it = map.tailMap(from, true).entrySet().iterator();
    int read = 0;
    while (read < count && it.hasNext()) {
      Map.Entry<byte[], byte[]> e = it.next();
      System.arraycopy(e.getKey(), 0, keyBuffer, 0, Math.min(keyBuffer.length, e.getKey().length));
      System.arraycopy(e.getValue(), 0, valueBuffer, 0, Math.min(valueBuffer.length, e.getValue().length));
      read++;
    }
    return read;
  }

  @Override
  public void compactAll() {}

  @Override
  public String describe() {
    return "ConcurrentSkipListMap in memory (harness check only, never a result)";
  }

  @Override
  public void close() {
    map.clear();
  }
}
