package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.vertx.core.Completable;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ObservedClusterManager}'s view and events, over a scripted cluster manager whose node
 * events and node infos the test drives (a real, non-clustered Vert.x supplies the retry timers).
 */
class ObservedClusterManagerTest {
  private Vertx vertx;
  private Scripted scripted;
  private ObservedClusterManager observed;
  private final List<String> vertxHeard = new CopyOnWriteArrayList<>();
  private final List<String> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void joinAsNodeA() throws Exception {
    vertx = Vertx.vertx();
    scripted = new Scripted("vx-a");
    observed = new ObservedClusterManager(scripted, new ObservedSettings(NodeId.of("a"), 4, Duration.ofSeconds(5)));
    observed.nodeListener(new NodeListener() {
      @Override public void nodeAdded(String id) { vertxHeard.add("added " + id); }
      @Override public void nodeLeft(String id) { vertxHeard.add("left " + id); }
    });
    observed.addListener(new MembershipListener() {
      @Override public void onJoined(Member m) { heard.add("joined " + m.id() + "@" + m.generation()); }
      @Override public void onRestarted(Member m) { heard.add("restarted " + m.id() + "@" + m.generation()); }
      @Override public void onUp(Member m) { heard.add("up " + m.id()); }
      @Override public void onDown(Member m) { heard.add("down " + m.id()); }
    });
    observed.init(vertx);
    Promise<Void> joined = Promise.promise();
    observed.join(joined);
    joined.future().await(5, TimeUnit.SECONDS);
    Promise<Void> set = Promise.promise();
    observed.setNodeInfo(new NodeInfo("10.0.0.1", 7001, new JsonObject().put("app", "x")), set);
    set.future().await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void publishesTheStableIdAndWeightAndKeepsTheOtherMetadata() {
    JsonObject metadata = scripted.infos.get("vx-a").metadata();
    assertThat(metadata.getString(ClusterManagerSettings.NODE_ID_KEY)).isEqualTo("a");
    assertThat(metadata.getInteger(ClusterManagerSettings.WEIGHT_KEY)).isEqualTo(4);
    assertThat(metadata.getString("app")).isEqualTo("x");
    Member self = observed.view().member(NodeId.of("a")).orElseThrow();
    assertThat(self.alive()).isTrue();
    assertThat(self.weight()).isEqualTo(4);
    assertThat(self.busAddress()).contains("10.0.0.1:7001");
    assertThat(observed.vertxNodeId(NodeId.of("a"))).contains("vx-a");
  }

  @Test
  void aNodeBecomesAMemberWhenItsNodeInfoArrivesEvenAfterItJoined() {
    scripted.add("vx-b"); // joined, no node info yet
    assertThat(vertxHeard).containsExactly("added vx-b");
    assertThat(observed.view().members()).containsOnlyKeys(NodeId.of("a"));

    scripted.publish("vx-b", "b", 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> observed.view().members().size() == 2);
    Member b = observed.view().member(NodeId.of("b")).orElseThrow();
    assertThat(b.alive()).isTrue();
    assertThat(b.status()).isEqualTo(NodeStatus.NORMAL);
    assertThat(b.weight()).isEqualTo(2);
    assertThat(b.generation()).isEqualTo(1);
    assertThat(b.busAddress()).contains("127.0.0.1:9000");
    assertThat(heard).containsExactly("joined b@1");
  }

  @Test
  void nodeLeftIsDownNotRemovalAndTheSameStableIdComingBackIsUpAtTheNextGeneration() {
    scripted.publish("vx-b", "b", 1);
    scripted.add("vx-b");
    await().atMost(Duration.ofSeconds(5)).until(() -> observed.view().members().size() == 2);

    scripted.remove("vx-b");
    Member down = observed.view().member(NodeId.of("b")).orElseThrow();
    assertThat(down.alive()).isFalse();
    assertThat(observed.view().alive()).extracting(Member::id).containsExactly(NodeId.of("a"));

    scripted.publish("vx-b2", "b", 1);
    scripted.add("vx-b2");
    await().atMost(Duration.ofSeconds(5)).until(() -> observed.view().member(NodeId.of("b")).orElseThrow().alive());
    assertThat(observed.view().member(NodeId.of("b")).orElseThrow().generation()).isEqualTo(2);
    assertThat(observed.vertxNodeId(NodeId.of("b"))).contains("vx-b2");
    assertThat(heard).containsExactly("joined b@1", "down b", "restarted b@2", "up b");
    assertThat(vertxHeard).containsExactly("added vx-b", "left vx-b", "added vx-b2");
  }

  @Test
  void theOldLifeLeavingAfterARestartDoesNotTakeTheNewOneDown() {
    scripted.publish("vx-b", "b", 1);
    scripted.add("vx-b");
    await().atMost(Duration.ofSeconds(5)).until(() -> observed.view().members().size() == 2);
    scripted.publish("vx-b2", "b", 1);
    scripted.add("vx-b2"); // restarted before the cluster manager noticed the old life end
    await().atMost(Duration.ofSeconds(5)).until(() -> observed.view().member(NodeId.of("b")).orElseThrow().generation() == 2);

    scripted.remove("vx-b");
    assertThat(observed.view().member(NodeId.of("b")).orElseThrow().alive()).isTrue();
    assertThat(heard).containsExactly("joined b@1", "restarted b@2");
  }

  @Test
  void nodesWithoutAValidStableIdOrWeightAreNotMembers() {
    scripted.infos.put("vx-plain", new NodeInfo("127.0.0.1", 9001, new JsonObject()));
    scripted.infos.put("vx-heavy", new NodeInfo("127.0.0.1", 9002, new JsonObject()
        .put(ClusterManagerSettings.NODE_ID_KEY, "heavy").put(ClusterManagerSettings.WEIGHT_KEY, 5000)));
    scripted.infos.put("vx-twin", new NodeInfo("127.0.0.1", 9003, new JsonObject().put(ClusterManagerSettings.NODE_ID_KEY, "a")));
    scripted.publish("vx-c", "c", 1);
    for (String id : List.of("vx-plain", "vx-heavy", "vx-twin", "vx-c")) {
      scripted.add(id);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> observed.view().members().size() == 2);
    assertThat(observed.view().members()).containsOnlyKeys(NodeId.of("a"), NodeId.of("c"));
    assertThat(vertxHeard).hasSize(4);
  }

  @Test
  void settingsNameTheBadValueAndTheBound() {
    assertThatThrownBy(() -> ObservedSettings.of(NodeId.of("x"), 0))
        .hasMessage("ringstore.node.weight = 0 is out of range; need 1 to 64");
    assertThatThrownBy(() -> new ObservedSettings(NodeId.of("x"), 1, Duration.ofMillis(10)))
        .hasMessage("ringstore.cluster.nodeInfoWait = PT0.01S is out of range; need 100 ms to 10 min");
  }

  /** A cluster manager whose membership and node infos the test scripts; the rest is unused. */
  private static final class Scripted implements ClusterManager {
    final String self;
    final Map<String, NodeInfo> infos = new ConcurrentHashMap<>();
    final List<String> nodes = new CopyOnWriteArrayList<>();
    volatile NodeListener listener;

    Scripted(String self) {
      this.self = self;
      nodes.add(self);
    }

    void publish(String vertxId, String stableId, int weight) {
      infos.put(vertxId, new NodeInfo("127.0.0.1", 9000, new JsonObject()
          .put(ClusterManagerSettings.NODE_ID_KEY, stableId).put(ClusterManagerSettings.WEIGHT_KEY, weight)));
    }

    void add(String vertxId) {
      nodes.add(vertxId);
      listener.nodeAdded(vertxId);
    }

    void remove(String vertxId) {
      nodes.remove(vertxId);
      infos.remove(vertxId);
      listener.nodeLeft(vertxId);
    }

    @Override public void init(Vertx vertx) {}
    @Override public void join(Completable<Void> promise) { promise.succeed(); }
    @Override public void leave(Completable<Void> promise) { promise.succeed(); }
    @Override public boolean isActive() { return true; }
    @Override public String getNodeId() { return self; }
    @Override public List<String> getNodes() { return new ArrayList<>(nodes); }
    @Override public void nodeListener(NodeListener listener) { this.listener = listener; }
    @Override public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
      infos.put(self, nodeInfo);
      promise.succeed();
    }
    @Override public NodeInfo getNodeInfo() { return infos.get(self); }
    @Override public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
      NodeInfo info = infos.get(nodeId);
      if (info == null) {
        promise.fail("no node info for " + nodeId);
      } else {
        promise.succeed(info);
      }
    }
    @Override public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) { promise.fail("unused"); }
    @Override public <K, V> Map<K, V> getSyncMap(String name) { throw new UnsupportedOperationException(); }
    @Override public void getLockWithTimeout(String name, long timeout, Completable<Lock> promise) { promise.fail("unused"); }
    @Override public void getCounter(String name, Completable<Counter> promise) { promise.fail("unused"); }
    @Override public void registrationListener(RegistrationListener registrationListener) {}
    @Override public void addRegistration(String address, RegistrationInfo info, Completable<Void> promise) { promise.succeed(); }
    @Override public void removeRegistration(String address, RegistrationInfo info, Completable<Void> promise) { promise.succeed(); }
    @Override public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) { promise.succeed(List.of()); }
  }
}
