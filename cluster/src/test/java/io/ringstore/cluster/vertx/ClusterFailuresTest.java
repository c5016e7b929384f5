package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.NodeId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crashes and pauses under real clustered Vert.x instances on loopback, with fast gossip (rounds
 * every 100 ms, a member down after 2 s): gossip judges a crashed member down and the coordinator
 * removes it; a crashed coordinator is replaced by the next oldest member; a member removed as
 * down that was only paused rejoins.
 */
class ClusterFailuresTest {
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration DOWN_AFTER = Duration.ofSeconds(2);
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final List<TestNode> nodes = new ArrayList<>();

  /** One clustered Vert.x with our manager, and the node events its manager reported. */
  private record TestNode(Vertx vertx, RingstoreClusterManager manager, List<String> added, List<String> left) {
    String id() {
      return manager.getNodeId();
    }

    List<RegistrationInfo> registrations(String address) {
      Promise<List<RegistrationInfo>> promise = Promise.promise();
      manager.getRegistrations(address, promise);
      return get(promise.future());
    }

    String request(String address) {
      return get(vertx.eventBus().<String>request(address, "ping").map(m -> m.body()));
    }

    void consumer(String address, String answer) {
      get(vertx.eventBus().<String>consumer(address, m -> m.reply(answer)).completion());
    }
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("a Vert.x future did not complete: " + e, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestNode start(int port, List<String> seeds) {
    RingstoreClusterManager manager = new RingstoreClusterManager(
        ClusterManagerSettings.defaults().withAddress(port, seeds).withGossip(INTERVAL, DOWN_AFTER));
    Vertx vertx = get(Vertx.builder().withClusterManager(manager).buildClustered());
    List<String> added = new CopyOnWriteArrayList<>();
    List<String> left = new CopyOnWriteArrayList<>();
    manager.nodeListener(new NodeListener() { // Vert.x sets none without HA
      @Override
      public void nodeAdded(String nodeID) {
        added.add(nodeID);
      }

      @Override
      public void nodeLeft(String nodeID) {
        left.add(nodeID);
      }
    });
    TestNode node = new TestNode(vertx, manager, added, left);
    nodes.add(node);
    return node;
  }

  /** Three nodes joined through the first, which is the coordinator. */
  private List<TestNode> threeNodes() {
    int seedPort = freePort();
    List<String> seeds = List.of("127.0.0.1:" + seedPort);
    TestNode a = start(seedPort, seeds);
    TestNode b = start(0, seeds);
    TestNode c = start(0, seeds);
    assertThat(a.manager().getNodes()).containsExactly(a.id(), b.id(), c.id());
    return List.of(a, b, c);
  }

  private static boolean seenDown(TestNode observer, TestNode node) {
    NodeId id = NodeId.of(node.manager().settings().stableNodeId());
    return observer.manager().membership().view().member(id).map(m -> !m.alive()).orElse(false);
  }

  @AfterEach
  void closeAll() {
    for (TestNode node : nodes) {
      get(node.vertx().close());
    }
  }

  @Test
  void aCrashedMemberIsJudgedDownAndItsRegistrationsVanish() {
    List<TestNode> cluster = threeNodes();
    TestNode a = cluster.get(0);
    TestNode b = cluster.get(1);
    TestNode c = cluster.get(2);
    c.consumer("on.c", "from c");
    assertThat(a.registrations("on.c")).extracting(RegistrationInfo::nodeId).containsExactly(c.id());
    await().atMost(PATIENCE).until(() -> a.manager().membership().view().alive().size() == 3);
    assertThat(a.manager().membership().view().members().values()).extracting(Member::weight).containsOnly(1);

    c.manager().crashForTest();

    await().atMost(PATIENCE).until(() -> a.left().contains(c.id()) && b.left().contains(c.id()));
    assertThat(a.left()).containsExactly(c.id());
    assertThat(b.left()).containsExactly(c.id());
    assertThat(a.registrations("on.c")).isEmpty();
    assertThat(b.registrations("on.c")).isEmpty();
    assertThat(a.manager().getNodes()).containsExactly(a.id(), b.id());
    assertThat(b.manager().getNodes()).containsExactly(a.id(), b.id());
    assertThat(seenDown(a, c)).as("the ring's view: down, still a member").isTrue();
    b.consumer("on.b", "from b");
    assertThat(a.request("on.b")).isEqualTo("from b");
  }

  @Test
  void whenTheCoordinatorCrashesTheNextOldestTakesOver() {
    List<TestNode> cluster = threeNodes();
    TestNode a = cluster.get(0);
    TestNode b = cluster.get(1);
    TestNode c = cluster.get(2);
    a.consumer("on.a", "from a");
    await().atMost(PATIENCE).until(() -> b.manager().membership().view().alive().size() == 3
        && c.manager().membership().view().alive().size() == 3);

    a.manager().crashForTest();
    // sent to the dead coordinator first, then again to the one that takes over
    c.consumer("on.c", "from c");

    await().atMost(PATIENCE).until(() -> b.left().contains(a.id()) && c.left().contains(a.id()));
    assertThat(b.manager().getNodes()).containsExactly(b.id(), c.id());
    assertThat(c.manager().getNodes()).containsExactly(b.id(), c.id());
    assertThat(b.registrations("on.a")).isEmpty();
    assertThat(b.registrations("on.c")).extracting(RegistrationInfo::nodeId).containsExactly(c.id());

    // a new node joins through the dead seed and the new coordinator
    TestNode d = start(0, List.of(a.manager().channelAddress(), b.manager().channelAddress()));
    assertThat(d.manager().getNodes()).containsExactly(b.id(), c.id(), d.id());
    await().atMost(PATIENCE).until(() -> c.manager().getNodes().contains(d.id()));
    d.consumer("on.d", "from d");
    assertThat(c.request("on.d")).isEqualTo("from d");
    assertThat(d.request("on.c")).isEqualTo("from c");
    assertThat(b.registrations("on.d")).extracting(RegistrationInfo::nodeId).containsExactly(d.id());
  }

  @Test
  void aPausedMemberRemovedAsDownRejoinsWithItsRegistrations() {
    List<TestNode> cluster = threeNodes();
    TestNode a = cluster.get(0);
    TestNode b = cluster.get(1);
    TestNode c = cluster.get(2);
    c.consumer("on.c", "from c");
    await().atMost(PATIENCE).until(() -> a.manager().membership().view().alive().size() == 3);

    c.manager().pauseForTest(true);
    await().atMost(PATIENCE).until(() -> a.left().contains(c.id()) && b.left().contains(c.id()));
    assertThat(a.registrations("on.c")).isEmpty();

    c.manager().pauseForTest(false);
    await().atMost(PATIENCE).until(() -> a.added().contains(c.id()) && b.added().contains(c.id())
        && a.registrations("on.c").size() == 1);
    assertThat(a.manager().getNodes()).containsExactly(a.id(), b.id(), c.id());
    assertThat(c.manager().getNodes()).containsExactly(a.id(), b.id(), c.id());
    assertThat(a.request("on.c")).isEqualTo("from c");
    await().atMost(PATIENCE).until(() -> b.registrations("on.c").size() == 1);
  }

  @Test
  void aPausedCoordinatorIsReplacedAndRejoinsAsTheYoungestMember() {
    List<TestNode> cluster = threeNodes();
    TestNode a = cluster.get(0);
    TestNode b = cluster.get(1);
    TestNode c = cluster.get(2);
    a.consumer("on.a", "from a");
    await().atMost(PATIENCE).until(() -> b.manager().membership().view().alive().size() == 3
        && c.manager().membership().view().alive().size() == 3);

    a.manager().pauseForTest(true);
    await().atMost(PATIENCE).until(() -> b.left().contains(a.id()) && c.left().contains(a.id()));
    assertThat(c.manager().getNodes()).containsExactly(b.id(), c.id());

    a.manager().pauseForTest(false);
    await().atMost(PATIENCE).until(() -> b.added().contains(a.id()) && c.added().contains(a.id())
        && b.registrations("on.a").size() == 1 && c.registrations("on.a").size() == 1);
    assertThat(a.manager().getNodes()).containsExactly(b.id(), c.id(), a.id());
    assertThat(b.manager().getNodes()).containsExactly(b.id(), c.id(), a.id());
    assertThat(c.request("on.a")).isEqualTo("from a");
    a.consumer("on.a.again", "again");
    assertThat(b.request("on.a.again")).isEqualTo("again");
  }
}
