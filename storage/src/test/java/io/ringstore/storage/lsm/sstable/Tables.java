package io.ringstore.storage.lsm.sstable;

import io.ringstore.spi.Bytes;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of sorted key-value maps whose keys share prefixes often, as real keys do. */
final class Tables {
  private Tables() {}

  /** Keys over a small alphabet that includes 0x00, 0x7f, 0x80 and 0xff (sign-sensitive bytes). */
  static Arbitrary<byte[]> keys() {
    return Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 'a', (byte) 'b', (byte) 0x7f, (byte) 0x80, (byte) 0xff)
        .array(byte[].class).ofMaxSize(12);
  }

  static Arbitrary<byte[]> values() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(24);
  }

  /** Sorted maps (Bytes order is unsigned) of up to {@code maxEntries} entries. */
  static Arbitrary<TreeMap<Bytes, Bytes>> maps(int maxEntries) {
    return Combinators.combine(keys(), values()).as((k, v) -> Map.entry(Bytes.copyOf(k), Bytes.copyOf(v)))
        .list().ofMaxSize(maxEntries)
        .map(entries -> {
          TreeMap<Bytes, Bytes> map = new TreeMap<>();
          entries.forEach(e -> map.put(e.getKey(), e.getValue()));
          return map;
        });
  }

  /** The block contents for {@code map}. */
  static byte[] block(Map<Bytes, Bytes> map, int restartInterval) {
    BlockBuilder builder = new BlockBuilder(restartInterval);
    map.forEach(builder::add);
    return builder.finish();
  }
}
