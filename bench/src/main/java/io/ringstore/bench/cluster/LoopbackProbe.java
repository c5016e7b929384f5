package io.ringstore.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The physical floor of a replicated operation on loopback: how long TCP takes to carry a
 * {@value #MESSAGE_BYTES}-byte message to a peer and back, with nothing else done.
 *
 * <ul>
 *   <li>{@code roundTrip}: the client sends one message to one echo server and waits for it to
 *       come back.
 *   <li>{@code fanOutRoundTrip}: the client sends one message to each of two echo servers, then
 *       waits for both replies: what a coordinator holding one replica does at the least for a
 *       write to three replicas (its own copy is local), so the floor of a W = 3 write and a
 *       bound below any W = 2 one.
 * </ul>
 *
 * <p>Plain blocking {@code java.nio} sockets with {@code TCP_NODELAY} on both ends ({@link
 * EchoServer}); each benchmark thread has its own connections, and each server a thread per
 * connection. The default mode is {@code SampleTime} in microseconds (p0.50 is the figure set
 * beside the cluster benchmark's {@code put}); {@code -bm thrpt} gives round trips per second.
 *
 * <p>Thread-safety: the servers are shared and thread-safe; {@link Client} is per thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
public class LoopbackProbe {
  /** Bytes of each message: the size of one benchmark value. */
  public static final int MESSAGE_BYTES = ClusterWorkload.VALUE_BYTES;

  // set in setup
  private EchoServer first;
  private EchoServer second;

  /** Starts the two echo servers. */
  @Setup(Level.Trial)
  public void setUp() {
    first = EchoServer.start(MESSAGE_BYTES, "probe-echo-1");
    second = EchoServer.start(MESSAGE_BYTES, "probe-echo-2");
  }

  /** Stops both servers and their threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  /** One benchmark thread's connections to both servers and its buffers. */
  @State(Scope.Thread)
  public static class Client {
    private SocketChannel toFirst;
    private SocketChannel toSecond;
    private ByteBuffer message;
    private ByteBuffer replyFirst;
    private ByteBuffer replySecond;

    /** Connects to both servers. */
    @Setup(Level.Trial)
    public void setUp(LoopbackProbe probe) {
      toFirst = connect(probe.first.address());
      toSecond = connect(probe.second.address());
      byte[] bytes = new byte[MESSAGE_BYTES];
      SplittableRandom random = new SplittableRandom(ClusterWorkload.DEFAULT_SEED);
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) random.nextInt(256);
      }
      message = ByteBuffer.allocateDirect(MESSAGE_BYTES).put(bytes).flip();
      replyFirst = ByteBuffer.allocateDirect(MESSAGE_BYTES);
      replySecond = ByteBuffer.allocateDirect(MESSAGE_BYTES);
    }

    private static SocketChannel connect(InetSocketAddress address) {
      try {
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return channel;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot connect to the echo server at " + address, e);
      }
    }

    /** Closes both connections (the servers' threads for them then end). */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      toFirst.close();
      toSecond.close();
    }
  }

  @Benchmark
  public int roundTrip(Client client) throws IOException {
    send(client.toFirst, client.message);
    return receive(client.toFirst, client.replyFirst);
  }

  @Benchmark
  public int fanOutRoundTrip(Client client) throws IOException {
    send(client.toFirst, client.message);
    send(client.toSecond, client.message);
    return receive(client.toFirst, client.replyFirst) + receive(client.toSecond, client.replySecond);
  }

  private static void send(SocketChannel channel, ByteBuffer message) throws IOException {
    ByteBuffer out = message.duplicate();
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }

  private static int receive(SocketChannel channel, ByteBuffer reply) throws IOException {
    reply.clear();
    while (reply.hasRemaining()) {
      if (channel.read(reply) < 0) {
        throw new IOException("the echo server closed " + channel + " mid-reply");
      }
    }
    return reply.get(0);
  }
}
