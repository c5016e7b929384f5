package io.ringstore.cluster.replication;

import static org.awaitility.Awaitility.await;

import io.ringstore.cluster.handoff.HandoffSettings;
import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.node.NodeOptions;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.cluster.vertx.ClusterManagerSettings;
import io.ringstore.cluster.vertx.EventBusSettings;
import io.ringstore.cluster.vertx.HardenedEventBus;
import io.ringstore.cluster.vertx.ManagerHooks;
import io.ringstore.cluster.vertx.RingstoreClusterManager;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.env.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Real clustered nodes in this JVM, each on its own clustered Vert.x with Ringstore's cluster
 * manager on loopback (fast gossip), for tests of the replicated data path.
 */
final class TestNodes implements AutoCloseable {
  private final List<RingstoreNode> nodes = new ArrayList<>();
  private final List<RingstoreClusterManager> managers = new ArrayList<>();
  private final int seedPort;
  private HandoffSettings handoff = HandoffSettings.defaults();
  private final int maxFrameBytes;
  private final int maxInFlight;

  private TestNodes(int seedPort, int maxFrameBytes, int maxInFlight) {
    this.seedPort = seedPort;
    this.maxFrameBytes = maxFrameBytes;
    this.maxInFlight = maxInFlight;
  }

  /** Starts {@code count} nodes named {@code <prefix>-0..} and waits until each sees all alive. */
  static TestNodes start(String prefix, int count) {
    return start(prefix, count, EventBusSettings.DEFAULT_FRAME_BYTES, RingstoreNode.MAX_IN_FLIGHT_DEFAULT);
  }

  /** As {@link #start(String, int)}, with these bounds on every node. */
  static TestNodes start(String prefix, int count, int maxFrameBytes, int maxInFlight) {
    return start(prefix, count, maxFrameBytes, maxInFlight, HandoffSettings.defaults());
  }

  /** As {@link #start(String, int)}, with these hinted-handoff settings on every node. */
  static TestNodes start(String prefix, int count, HandoffSettings handoff) {
    return start(prefix, count, EventBusSettings.DEFAULT_FRAME_BYTES, RingstoreNode.MAX_IN_FLIGHT_DEFAULT, handoff);
  }

  private static TestNodes start(String prefix, int count, int maxFrameBytes, int maxInFlight, HandoffSettings handoff) {
    TestNodes cluster = new TestNodes(freePort(), maxFrameBytes, maxInFlight);
    cluster.handoff = handoff;
    try {
      for (int i = 0; i < count; i++) {
        cluster.add(prefix + "-" + i);
      }
      cluster.awaitAlive(count);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Starts one more node with id {@code id}. */
  RingstoreNode add(String id) {
    return add(id, false);
  }

  /** Starts one more node with id {@code id}; with {@code bootstrap}, it receives its share of the data before it serves. */
  RingstoreNode add(String id, boolean bootstrap) {
    Properties p = new Properties();
    p.setProperty("ringstore.node.id", id);
    p.setProperty("ringstore.cluster.port", Integer.toString(nodes.isEmpty() ? seedPort : 0));
    p.setProperty("ringstore.cluster.seeds", "127.0.0.1:" + seedPort);
    p.setProperty("ringstore.gossip.intervalMillis", "100");
    p.setProperty("ringstore.gossip.downAfterMillis", "1500");
    ClusterManagerSettings settings = ClusterManagerSettings.from(p);
    NodeOptions options = new NodeOptions(id, Env.system(), NodeOptions.DEFAULT_VNODES, 1, TestNodes.class.getClassLoader())
        .withHandoff(handoff).withBootstrap(bootstrap);
    RingstoreClusterManager manager = new RingstoreClusterManager(settings);
    RingstoreNode node = RingstoreNode.clustered(options, manager,
        new HardenedEventBus(EventBusSettings.defaults().withMaxFrameBytes(maxFrameBytes)), Duration.ofSeconds(60), maxInFlight);
    nodes.add(node);
    managers.add(manager);
    return node;
  }

  /** Makes node {@code index} behave as a paused process ({@code true}: no gossip, deaf) or resumes it. */
  void pause(int index, boolean paused) {
    ManagerHooks.pause(managers.get(index), paused);
  }

  /** Waits until every node sees {@code count} members alive and the same ring. */
  void awaitAlive(int count) {
    await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().allMatch(n ->
        n.membership().view().members().values().stream().filter(Member::alive).count() == count
            && n.ring().members().size() == count));
  }

  RingstoreNode node(int index) {
    return nodes.get(index);
  }

  List<RingstoreNode> nodes() {
    return nodes;
  }

  /** Opens keyspace {@code name} with N/W/R on every node. */
  List<Coordinator> open(String name, int n, int w, int r) {
    List<Coordinator> coordinators = new ArrayList<>();
    for (RingstoreNode node : nodes) {
      coordinators.add(node.openKeyspace(settings(name, n, w, r)));
    }
    return coordinators;
  }

  static KeyspaceSettings settings(String name, int n, int w, int r) {
    return settings(name, n, w, r, 16);
  }

  static KeyspaceSettings settings(String name, int n, int w, int r, int maxSiblings) {
    return new KeyspaceSettings(name, "memory", Map.of(), EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED, EvictionPolicy.LRU, n, w, r,
        Duration.ofSeconds(5), Duration.ofSeconds(5), maxSiblings, 32, RemovalListener.NONE);
  }

  /** Opens keyspace {@code settings.name()} with these settings on every node. */
  List<Coordinator> open(KeyspaceSettings settings) {
    List<Coordinator> coordinators = new ArrayList<>();
    for (RingstoreNode node : nodes) {
      coordinators.add(node.openKeyspace(settings));
    }
    return coordinators;
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
