package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.NodeId;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ObservedClusterManager} over Vert.x's Hazelcast cluster manager, with three real
 * clustered Vert.x instances on loopback (Hazelcast joins by TCP-IP over loopback, no multicast).
 */
class ObservedHazelcastTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String clusterName = "ringstore-test-" + UUID.randomUUID();
  private final List<String> hazelcastMembers = freeLoopbackAddresses(4);
  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (Vertx vertx : started) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void membersSeeEachOtherWithStableIdsAndWeightsAndANodeThatLeavesIsDownNotRemoved() throws Exception {
    ObservedClusterManager a = manager(0, "node-a", 1);
    ObservedClusterManager b = manager(1, "node-b", 2);
    ObservedClusterManager c = manager(2, "node-c", 3);
    Vertx va = start(a);
    Vertx vb = start(b);
    Vertx vc = start(c);
    List<String> heardByA = new CopyOnWriteArrayList<>();
    a.addListener(new MembershipListener() {
      @Override public void onDown(Member member) { heardByA.add("down " + member.id()); }
      @Override public void onUp(Member member) { heardByA.add("up " + member.id()); }
      @Override public void onRestarted(Member member) { heardByA.add("restarted " + member.id()); }
    });

    for (ObservedClusterManager observer : List.of(a, b, c)) {
      await().atMost(WAIT).until(() -> aliveWeights(observer).equals(Map.of("node-a", 1, "node-b", 2, "node-c", 3)));
    }
    Member cSeenByA = a.view().member(NodeId.of("node-c")).orElseThrow();
    assertThat(cSeenByA.busAddress()).contains(busAddressOf(c));
    assertThat(a.vertxNodeId(NodeId.of("node-c"))).contains(c.getNodeId());

    vc.close().await(30, TimeUnit.SECONDS);
    started.remove(vc);

    for (ObservedClusterManager observer : List.of(a, b)) {
      await().atMost(WAIT).until(() -> !observer.view().member(NodeId.of("node-c")).orElseThrow().alive());
      assertThat(observer.view().members()).containsOnlyKeys(NodeId.of("node-a"), NodeId.of("node-b"), NodeId.of("node-c"));
      assertThat(aliveWeights(observer)).isEqualTo(Map.of("node-a", 1, "node-b", 2));
    }
    assertThat(heardByA).containsExactly("down node-c");

    // the event bus still carries messages between the survivors
    vb.eventBus().<String>consumer("echo", message -> message.reply("echo: " + message.body())).completion().await(30, TimeUnit.SECONDS);
    String reply = va.eventBus().<String>request("echo", "hello").await(30, TimeUnit.SECONDS).body();
    assertThat(reply).isEqualTo("echo: hello");

    // node-c comes back under a new Vert.x node id: up again, at the next generation
    ObservedClusterManager c2 = manager(3, "node-c", 3);
    start(c2);
    await().atMost(WAIT).until(() -> a.view().member(NodeId.of("node-c")).orElseThrow().alive());
    assertThat(a.view().member(NodeId.of("node-c")).orElseThrow().generation()).isEqualTo(2);
    assertThat(a.vertxNodeId(NodeId.of("node-c"))).contains(c2.getNodeId());
    assertThat(heardByA).containsExactly("down node-c", "restarted node-c", "up node-c");
  }

  @Test
  void aNodeWhoseHazelcastIsTerminatedIsSeenDown() throws Exception {
    ObservedClusterManager a = manager(0, "node-a", 1);
    ObservedClusterManager b = manager(1, "node-b", 1);
    start(a);
    start(b);
    await().atMost(WAIT).until(() -> aliveWeights(a).keySet().equals(java.util.Set.of("node-a", "node-b")));

    // no leave protocol: b's Hazelcast member stops at once, sockets and all (closing b's Vert.x
    // afterwards logs Vert.x's SEVERE "Failed to leave cluster": its Hazelcast is gone)
    ((HazelcastClusterManager) b.delegate()).getHazelcastInstance().getLifecycleService().terminate();

    await().atMost(WAIT).until(() -> !a.view().member(NodeId.of("node-b")).orElseThrow().alive());
    assertThat(a.view().members()).containsOnlyKeys(NodeId.of("node-a"), NodeId.of("node-b"));
  }

  private static String busAddressOf(ObservedClusterManager manager) {
    return manager.getNodeInfo().host() + ":" + manager.getNodeInfo().port();
  }

  private static Map<String, Integer> aliveWeights(ObservedClusterManager observer) {
    return observer.view().alive().stream().collect(Collectors.toMap(m -> m.id().value(), Member::weight));
  }

  private Vertx start(ObservedClusterManager manager) throws Exception {
    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(2)
        .setWorkerPoolSize(4)
        .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0));
    Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered().await(60, TimeUnit.SECONDS);
    started.add(vertx);
    return vertx;
  }

  /** Hazelcast on loopback: TCP-IP join over the reserved ports, no multicast, short timeouts. */
  private ObservedClusterManager manager(int index, String stableId, int weight) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.logging.type", "none");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.partition.count", "17");
    NetworkConfig network = config.getNetworkConfig();
    String self = hazelcastMembers.get(index);
    network.setPort(Integer.parseInt(self.substring(self.indexOf(':') + 1))).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(hazelcastMembers).setConnectionTimeoutSeconds(1);
    return new ObservedClusterManager(new HazelcastClusterManager(config), ObservedSettings.of(NodeId.of(stableId), weight));
  }

  private static List<String> freeLoopbackAddresses(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().map(s -> "127.0.0.1:" + s.getLocalPort()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not reserve ports for Hazelcast", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // reserved only to learn a free port
        }
      }
    }
  }
}
