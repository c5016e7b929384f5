package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;

/**
 * The cluster managers of one Vert.x test: the first listens on a port reserved up front, and
 * every one (the first included) has it as its seed, so that nodes started together all join
 * through the first. Not thread-safe (Vert.x's test bases create managers on the test thread).
 */
final class TestCluster {
  private final String seed;
  private final int seedPort;
  private boolean first = true;

  TestCluster() {
    try (ServerSocket socket = new ServerSocket(0)) {
      seedPort = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not reserve a port for the seed node", e);
    }
    seed = "127.0.0.1:" + seedPort;
  }

  ClusterManager next() {
    int port = first ? seedPort : 0;
    first = false;
    return new RingstoreClusterManager(ClusterManagerSettings.defaults().withAddress(port, List.of(seed)));
  }
}
