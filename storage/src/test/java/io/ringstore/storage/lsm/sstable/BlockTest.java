package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Blocks built and read back agree with a {@link TreeMap} model. */
class BlockTest {

  @Provide
  Arbitrary<TreeMap<Bytes, Bytes>> maps() {
    return Tables.maps(150);
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Tables.keys();
  }

  @Property(tries = 300)
  void iterationGivesEveryEntryInOrder(@ForAll("maps") TreeMap<Bytes, Bytes> model,
      @ForAll @IntRange(min = 1, max = 20) int restartInterval) {
    BlockBuilder builder = new BlockBuilder(restartInterval);
    model.forEach(builder::add);
    int expectedSize = builder.sizeBytes();
    byte[] contents = builder.finish();
    assertThat(contents).hasSize(expectedSize);
    assertThat(builder.isEmpty()).isTrue();

    Block block = Block.decode(contents);
    assertThat(block.entryCount()).isEqualTo(model.size());
    assertThat(block.restartCount()).isEqualTo((model.size() + restartInterval - 1) / restartInterval);
    assertThat(entries(block)).containsExactlyElementsOf(model.entrySet());
  }

  @Property(tries = 300)
  void seekFindsTheFirstKeyAtOrAfterTheTarget(@ForAll("maps") TreeMap<Bytes, Bytes> model,
      @ForAll @IntRange(min = 1, max = 20) int restartInterval, @ForAll @Size(max = 20) List<@net.jqwik.api.From("keys") byte[]> probes) {
    Block block = Block.decode(Tables.block(model, restartInterval));
    List<byte[]> targets = new ArrayList<>(probes);
    model.keySet().forEach(k -> targets.add(k.toByteArray()));
    Block.Cursor cursor = block.cursor();
    for (byte[] target : targets) {
      Map.Entry<Bytes, Bytes> expected = model.ceilingEntry(Bytes.copyOf(target));
      cursor.seek(target);
      if (expected == null) {
        assertThat(cursor.isValid()).isFalse();
      } else {
        assertThat(cursor.isValid()).isTrue();
        assertThat(cursor.key()).isEqualTo(expected.getKey());
        assertThat(cursor.value()).isEqualTo(expected.getValue());
      }
      assertThat(block.get(target)).isEqualTo(model.get(Bytes.copyOf(target)));
    }
  }

  @Test
  void anEmptyBlockIsFourZeroBytesAndHasNoEntries() {
    byte[] contents = new BlockBuilder().finish();
    assertThat(contents).containsExactly(0, 0, 0, 0);
    Block block = Block.decode(contents);
    assertThat(block.entryCount()).isZero();
    Block.Cursor cursor = block.cursor();
    cursor.seekToFirst();
    assertThat(cursor.isValid()).isFalse();
    cursor.seek(new byte[] {1});
    assertThat(cursor.isValid()).isFalse();
    assertThatThrownBy(cursor::next).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(cursor::key).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void keysShareTheirPrefixWithThePreviousKeyBetweenRestartPoints() {
    BlockBuilder builder = new BlockBuilder(2);
    builder.add(Bytes.utf8("apple"), Bytes.utf8("red"));
    builder.add(Bytes.utf8("apricot"), Bytes.utf8("orange"));
    builder.add(Bytes.utf8("avocado"), Bytes.utf8("green"));
    byte[] contents = builder.finish();
    // entry 1 shares "ap" with "apple"; entry 2 is a restart point and shares nothing
    assertThat(contents[11]).isEqualTo((byte) 2);
    assertThat(contents[12]).isEqualTo((byte) 5);
    assertThat(contents[25]).isZero();
    assertThat(contents[26]).isEqualTo((byte) 7);
    Block block = Block.decode(contents);
    assertThat(block.restartCount()).isEqualTo(2);
    assertThat(block.get("apricot".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(Bytes.utf8("orange"));
  }

  @Test
  void theBuilderRefusesKeysOutOfOrderAndBadIntervals() {
    BlockBuilder builder = new BlockBuilder();
    builder.add(new byte[] {(byte) 0x80}, new byte[0]);
    assertThatThrownBy(() -> builder.add(new byte[] {0x7f}, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key #1").hasMessageContaining("strictly increase");
    assertThatThrownBy(() -> builder.add(new byte[] {(byte) 0x80}, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    builder.add(new byte[] {(byte) 0x80, 0}, new byte[0]);
    assertThat(builder.entryCount()).isEqualTo(2);
    assertThatThrownBy(() -> new BlockBuilder(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("restartInterval = 0").hasMessageContaining(">= 1");
    assertThat(new BlockBuilder().restartInterval()).isEqualTo(BlockBuilder.DEFAULT_RESTART_INTERVAL);
  }

  @Test
  void aBuilderIsEmptyAndReusableAfterFinish() {
    BlockBuilder builder = new BlockBuilder(1);
    builder.add(Bytes.utf8("b"), Bytes.utf8("1"));
    builder.finish();
    builder.add(Bytes.utf8("a"), Bytes.utf8("2"));
    assertThat(entries(Block.decode(builder.finish()))).containsExactly(Map.entry(Bytes.utf8("a"), Bytes.utf8("2")));
  }

  static List<Map.Entry<Bytes, Bytes>> entries(Block block) {
    List<Map.Entry<Bytes, Bytes>> out = new ArrayList<>();
    Block.Cursor cursor = block.cursor();
    for (cursor.seekToFirst(); cursor.isValid(); cursor.next()) {
      out.add(Map.entry(cursor.key(), cursor.value()));
    }
    return out;
  }
}
