package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Disk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/** Random sorted maps, writing them as tables, and reading tables back whole. */
final class TableFixtures {
  private TableFixtures() {}

  /**
   * A sorted map of {@code size} entries whose keys share prefixes (a few short stems, then random
   * bytes over an alphabet with sign-sensitive bytes) and whose values are 0 to {@code maxValueBytes}.
   */
  static TreeMap<Bytes, Bytes> randomMap(Random random, int size, int maxValueBytes) {
    byte[] alphabet = {0x00, 0x01, 'a', 'b', 'k', 0x7f, (byte) 0x80, (byte) 0xff};
    TreeMap<Bytes, Bytes> map = new TreeMap<>();
    while (map.size() < size) {
      map.put(randomKey(random, alphabet), randomValue(random, maxValueBytes));
    }
    return map;
  }

  static Bytes randomKey(Random random, byte[] alphabet) {
    int stem = random.nextInt(4);
    byte[] key = new byte[1 + stem + random.nextInt(14)];
    for (int i = 0; i < key.length; i++) {
      key[i] = i <= stem ? (byte) ('p' + stem) : alphabet[random.nextInt(alphabet.length)];
    }
    return Bytes.of(key);
  }

  static Bytes randomValue(Random random, int maxValueBytes) {
    byte[] value = new byte[random.nextInt(maxValueBytes + 1)];
    random.nextBytes(value);
    return Bytes.of(value);
  }

  /** Writes {@code map} as a table at {@code path}. */
  static TableSummary write(Disk disk, Path path, Map<Bytes, Bytes> map, TableOptions options) throws IOException {
    try (TableBuilder builder = TableBuilder.create(disk, path, options)) {
      for (Map.Entry<Bytes, Bytes> entry : map.entrySet()) {
        builder.add(entry.getKey(), entry.getValue());
      }
      return builder.finish();
    }
  }

  /** Every entry, by a cursor from the first. */
  static List<Map.Entry<Bytes, Bytes>> scan(TableReader reader) {
    TableReader.Cursor cursor = reader.cursor();
    List<Map.Entry<Bytes, Bytes>> out = new ArrayList<>();
    for (cursor.seekToFirst(); cursor.isValid(); cursor.next()) {
      out.add(Map.entry(cursor.key(), cursor.value()));
    }
    return out;
  }

  /** Up to {@code limit} entries from a seek to {@code target}. */
  static List<Map.Entry<Bytes, Bytes>> scanFrom(TableReader reader, Bytes target, int limit) {
    TableReader.Cursor cursor = reader.cursor();
    List<Map.Entry<Bytes, Bytes>> out = new ArrayList<>();
    for (cursor.seek(target); cursor.isValid() && out.size() < limit; cursor.next()) {
      out.add(Map.entry(cursor.key(), cursor.value()));
    }
    return out;
  }

  /** Up to {@code limit} entries of {@code model} at or after {@code target}. */
  static List<Map.Entry<Bytes, Bytes>> modelFrom(NavigableMap<Bytes, Bytes> model, Bytes target, int limit) {
    return model.tailMap(target, true).entrySet().stream().limit(limit).map(e -> Map.entry(e.getKey(), e.getValue()))
        .toList();
  }

  /** Checks that {@code reader} holds exactly {@code model}, by scan and by get. */
  static void assertHolds(TableReader reader, NavigableMap<Bytes, Bytes> model, String context) {
    assertThat(scan(reader)).as("full scan of %s", context).containsExactlyElementsOf(model.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    model.forEach((k, v) -> assertThat(reader.get(k)).as("get %s in %s", k, context).isEqualTo(v));
  }
}
