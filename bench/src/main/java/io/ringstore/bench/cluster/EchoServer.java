package io.ringstore.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP server that sends every message of {@code messageBytes} back as it came, on
 * plain blocking {@code java.nio} sockets with {@code TCP_NODELAY}: one thread accepts, one thread
 * per connection reads a whole message and writes it back. It does nothing else, so a round trip
 * to it is the floor of any request over loopback TCP.
 *
 * <p>Thread-safety: {@link #address()} and {@link #close()} may be called from any thread; close
 * stops the acceptor and every connection's thread and waits for them.
 */
final class EchoServer implements AutoCloseable {
  // constant after construction
  private final int messageBytes;
  private final ServerSocketChannel server;
  private final Thread acceptor;

  // guarded by this
  private final List<SocketChannel> connections = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private boolean closed;

  private EchoServer(int messageBytes, ServerSocketChannel server, String name) {
    this.messageBytes = messageBytes;
    this.server = server;
    this.acceptor = new Thread(this::accept, name + "-accept");
    acceptor.setDaemon(true);
  }

  /** A server on a free port of 127.0.0.1, echoing messages of {@code messageBytes}. */
  static EchoServer start(int messageBytes, String name) {
    try {
      ServerSocketChannel channel = ServerSocketChannel.open();
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      EchoServer server = new EchoServer(messageBytes, channel, name);
      server.acceptor.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("echo server " + name + " cannot listen on the loopback interface", e);
    }
  }

  /** Where clients connect. */
  InetSocketAddress address() {
    try {
      return (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void accept() {
    try {
      while (true) {
        SocketChannel connection = server.accept();
        connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Thread echo = new Thread(() -> echo(connection), acceptor.getName() + "-echo-" + threadCount());
        echo.setDaemon(true);
        synchronized (this) {
          if (closed) {
            connection.close();
            return;
          }
          connections.add(connection);
          threads.add(echo);
        }
        echo.start();
      }
    } catch (ClosedChannelException e) {
      // closed: done
    } catch (IOException e) {
      if (!isClosed()) {
        throw new UncheckedIOException("echo server at " + address() + " failed to accept", e);
      }
    }
  }

  private void echo(SocketChannel connection) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(messageBytes);
    try {
      while (true) {
        buffer.clear();
        while (buffer.hasRemaining()) {
          if (connection.read(buffer) < 0) {
            return; // the client closed its end
          }
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          connection.write(buffer);
        }
      }
    } catch (ClosedChannelException e) {
      // closed by close(): done
    } catch (IOException e) {
      if (!isClosed()) {
        throw new UncheckedIOException("echo connection " + connection + " failed", e);
      }
    } finally {
      try {
        connection.close();
      } catch (IOException e) {
        // already failing or closing
      }
    }
  }

  private synchronized int threadCount() {
    return threads.size();
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** Stops accepting, closes every connection and waits for all the server's threads to end. */
  @Override
  public void close() {
    List<SocketChannel> toClose;
    List<Thread> toJoin;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = List.copyOf(connections);
      toJoin = new ArrayList<>(threads);
    }
    toJoin.add(acceptor);
    try {
      server.close();
      for (SocketChannel connection : toClose) {
        connection.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("echo server could not close its sockets", e);
    }
    try {
      for (Thread thread : toJoin) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
