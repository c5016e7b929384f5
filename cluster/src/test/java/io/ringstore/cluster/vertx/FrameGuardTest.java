package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FrameGuard} on an embedded Netty channel: what passes, what closes, what is logged. */
class FrameGuardTest {
  private static final int MAX = 64 * 1024;

  private final LongAdder refused = new LongAdder();
  private final List<LogRecord> warnings = new ArrayList<>();
  private final Logger log = Logger.getLogger(FrameGuard.class.getName());
  private final Handler capture = new Handler() {
    @Override public void publish(LogRecord record) { warnings.add(record); }
    @Override public void flush() {}
    @Override public void close() {}
  };

  @BeforeEach
  void captureWarnings() {
    log.addHandler(capture);
  }

  @AfterEach
  void release() {
    log.removeHandler(capture);
  }

  @Property(tries = 200)
  void framesWithinTheBoundPassUnchangedHoweverTheyAreCut(@ForAll("frames") List<Integer> sizes, @ForAll("cuts") List<Integer> cuts) {
    byte[] stream = frames(sizes);
    EmbeddedChannel channel = new EmbeddedChannel(new FrameGuard(MAX, refused));
    int at = 0;
    for (int cut : cuts) {
      int length = Math.min(cut, stream.length - at);
      channel.writeInbound(Unpooled.wrappedBuffer(stream, at, length));
      at += length;
    }
    channel.writeInbound(Unpooled.wrappedBuffer(stream, at, stream.length - at));
    assertThat(drain(channel)).isEqualTo(stream);
    assertThat(channel.isOpen()).isTrue();
    assertThat(refused.sum()).isZero();
    channel.finishAndReleaseAll();
  }

  @Provide
  Arbitrary<List<Integer>> frames() {
    return Arbitraries.oneOf(Arbitraries.integers().between(1, 64), Arbitraries.integers().between(1, MAX)).list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(0, 70_000).list().ofMaxSize(20);
  }

  @Test
  void aFrameOfExactlyTheBoundPasses() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameGuard(MAX, refused));
    byte[] frame = frames(List.of(MAX));
    channel.writeInbound(Unpooled.wrappedBuffer(frame));
    assertThat(drain(channel)).isEqualTo(frame);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aFrameOverTheBoundClosesTheConnectionAndNothingOfItPasses() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameGuard(MAX, refused));
    byte[] good = frames(List.of(10));
    channel.writeInbound(Unpooled.wrappedBuffer(good));
    // the next header is cut in two: 2 bytes, then 2 bytes and the start of the body
    ByteBuf first = Unpooled.buffer().writeShort(0x4000);
    ByteBuf second = Unpooled.buffer().writeShort(0x0000).writeBytes(new byte[1000]);
    channel.writeInbound(first);
    channel.writeInbound(second);

    byte[] passed = drain(channel);
    assertThat(passed).hasSize(good.length + 2); // the good frame, and the half header that could not yet be judged
    assertThat(channel.isOpen()).isFalse();
    assertThat(second.refCnt()).isZero();
    assertThat(refused.sum()).isEqualTo(1);
    assertThat(warnings).singleElement().satisfies(record -> assertThat(record.getMessage())
        .contains("a frame declares 1073741824 bytes; limit ringstore.bus.maxFrameBytes = 65536"));
  }

  @Test
  void aNegativeOrEmptyFrameLengthIsRefused() {
    for (int declared : new int[] {0, -1, Integer.MIN_VALUE}) {
      EmbeddedChannel channel = new EmbeddedChannel(new FrameGuard(MAX, refused));
      channel.writeInbound(Unpooled.buffer().writeInt(declared).writeByte(1));
      assertThat(channel.isOpen()).isFalse();
      assertThat((Object) channel.readInbound()).isNull();
    }
    assertThat(refused.sum()).isEqualTo(3);
    assertThat(warnings).extracting(LogRecord::getMessage).anySatisfy(m -> assertThat(m).contains("declares -1 bytes"));
  }

  private static byte[] frames(List<Integer> sizes) {
    int total = sizes.stream().mapToInt(s -> s + 4).sum();
    ByteBuffer out = ByteBuffer.allocate(total);
    int n = 0;
    for (int size : sizes) {
      out.putInt(size);
      for (int i = 0; i < size; i++) {
        out.put((byte) (n++ * 31));
      }
    }
    return out.array();
  }

  private static byte[] drain(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf buf; (buf = channel.readInbound()) != null; ) {
      all.writeBytes(buf);
      buf.release();
    }
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    return bytes;
  }
}
