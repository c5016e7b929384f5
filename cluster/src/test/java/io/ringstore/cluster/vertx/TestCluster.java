package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The cluster managers of one Vert.x test: the first listens on a port reserved up front, and
 * every one (the first included) has it as its seed, so that nodes started together all join
 * through the first; a manager created later also has every earlier manager that is still
 * active among its seeds (after the first, listed second), so that it can join when the first
 * has gone (Vert.x's HA tests kill nodes and start new ones). Once every manager created has
 * joined and left (a repeated test), the next one starts a new cluster on a new reserved port.
 * Not thread-safe (Vert.x's test
 * bases create managers on the test thread).
 */
final class TestCluster {
  private String seed;
  private int seedPort;
  private final UnaryOperator<ClusterManagerSettings> adjust;
  private final List<RingstoreClusterManager> created = new ArrayList<>();
  private boolean first = true;

  TestCluster() {
    this(UnaryOperator.identity());
  }

  /** Managers whose settings {@code adjust} changes (after the address and seed are set). */
  TestCluster(UnaryOperator<ClusterManagerSettings> adjust) {
    this.adjust = adjust;
    reserveSeed();
  }

  private void reserveSeed() {
    try (ServerSocket socket = new ServerSocket(0)) {
      seedPort = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not reserve a port for the seed node", e);
    }
    seed = "127.0.0.1:" + seedPort;
  }

  /** The seed address ({@code 127.0.0.1:port}) of the cluster that {@link #next} builds managers for. */
  String seed() {
    return seed;
  }

  ClusterManager next() {
    if (!created.isEmpty() && created.stream().allMatch(m -> m.channelAddress() != null && !m.isActive())) {
      created.clear(); // every node of the last cluster joined and left: a new one
      reserveSeed();
      first = true;
    }
    int port = first ? seedPort : 0;
    first = false;
    List<String> seeds = new ArrayList<>(List.of(seed));
    for (RingstoreClusterManager m : created) {
      String address = m.channelAddress();
      if (m.isActive() && address != null && !seeds.contains(address)) {
        seeds.add(address);
      }
    }
    RingstoreClusterManager manager = new RingstoreClusterManager(
        adjust.apply(ClusterManagerSettings.defaults().withAddress(port, seeds)));
    created.add(manager);
    return manager;
  }
}
