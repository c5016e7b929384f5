package io.ringstore.provider.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.configuration.ConfigurationFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache managers whose nodes join a cluster from their properties or their file's {@code node}
 * mapping: two managers in one JVM (each its own node, on its own clustered Vert.x) see each other
 * with their stable ids and weights, and one that closes leaves. Without cluster settings a
 * manager's node stays embedded.
 */
class ClusteredCacheManagerTest {
  private static final ClassLoader LOADER = ClusteredCacheManagerTest.class.getClassLoader();

  @TempDir
  Path dir;

  private final List<CacheManager> managers = new ArrayList<>();

  @AfterEach
  void close() {
    managers.forEach(CacheManager::close);
  }

  private CacheManager manager(URI uri, Properties properties) {
    CachingProvider provider = Caching.getCachingProvider(io.ringstore.provider.RingstoreCachingProvider.class.getName());
    CacheManager manager = provider.getCacheManager(uri, LOADER, properties);
    managers.add(manager);
    return manager;
  }

  private static Properties fastGossip() {
    Properties p = new Properties();
    p.setProperty("ringstore.gossip.intervalMillis", "100");
    p.setProperty("ringstore.gossip.downAfterMillis", "1000");
    return p;
  }

  private static Map<String, Integer> alive(RingstoreNode node) {
    return node.membership().view().members().values().stream()
        .filter(Member::alive)
        .collect(Collectors.toMap(m -> m.id().value(), Member::weight));
  }

  @Test
  void twoManagersJoinFromTheFileAndThePropertiesAndOneLeaves() {
    int port = freePort();
    URI file = ConfigurationFiles.write(dir, "alpha.yaml", """
        node:
          id: alpha
          weight: 2
          cluster:
            port: %d
            seeds: [127.0.0.1:%d]
        caches:
          sessions: {}
        """.formatted(port, port));
    CacheManager alpha = manager(file, fastGossip());

    Properties bravoProperties = fastGossip();
    bravoProperties.setProperty("ringstore.node.id", "bravo");
    bravoProperties.setProperty("ringstore.cluster.seeds", "127.0.0.1:" + port);
    CacheManager bravo = manager(URI.create("ringstore:bravo"), bravoProperties);

    RingstoreNode alphaNode = alpha.unwrap(RingstoreNode.class);
    RingstoreNode bravoNode = bravo.unwrap(RingstoreNode.class);
    assertThat(alphaNode.isClustered()).isTrue();
    assertThat(alphaNode.nodeId()).isEqualTo("alpha");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(alive(alphaNode)).isEqualTo(Map.of("alpha", 2, "bravo", 1));
      assertThat(alive(bravoNode)).isEqualTo(Map.of("alpha", 2, "bravo", 1));
    });

    // tokens derive from the stable ids and weights: the same ring on both nodes, alpha owning twice bravo's tokens
    assertThat(alphaNode.membershipRing().members()).containsExactly("alpha", "bravo");
    assertThat(alphaNode.membershipRing().tokenCount()).isEqualTo(3 * 256);
    assertThat(bravoNode.membershipRing().preferenceList(42L, 2)).isEqualTo(alphaNode.membershipRing().preferenceList(42L, 2));

    // caches still work on a clustered node (each key on its own node until replication)
    Cache<String, String> sessions = alpha.getCache("sessions");
    sessions.put("s-1", "alice");
    assertThat(sessions.get("s-1")).isEqualTo("alice");
    assertThat(bravo.createCache("orders", new MutableConfiguration<String, String>()).getName()).isEqualTo("orders");

    // a repair on demand through the extended API: a record one replica lost comes back from the other
    var config = new io.ringstore.provider.configuration.RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class).setReplication(2, 2, 1);
    Cache<String, String> onAlpha = alpha.createCache("repaired", config);
    Cache<String, String> onBravo = bravo.createCache("repaired", config);
    onAlpha.put("k", "v");
    var bravoEngine = bravoNode.keyspace("repaired").replica().engine();
    var stored = bravoEngine.iterator().next();
    bravoEngine.compute(stored.key(), (k, current) -> null);
    assertThat(bravoEngine.iterator().hasNext()).isFalse();
    io.ringstore.provider.RingstoreCache<?, ?> extended = onBravo.unwrap(io.ringstore.provider.RingstoreCache.class);
    List<io.ringstore.cluster.repair.RepairReport> reports = extended.repair().toCompletableFuture().join();
    assertThat(reports).singleElement().satisfies(report -> {
      assertThat(report.peer()).isEqualTo("alpha");
      assertThat(report.succeeded()).isTrue();
    });
    assertThat(bravoEngine.get(stored.key())).isEqualTo(stored.record());

    bravo.close();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(alive(alphaNode)).isEqualTo(Map.of("alpha", 2)));
  }

  @Test
  void aManagerWithoutClusterSettingsIsEmbedded() {
    CacheManager manager = manager(URI.create("ringstore:alone"), new Properties());
    RingstoreNode node = manager.unwrap(RingstoreNode.class);

    assertThat(node.isClustered()).isFalse();
    assertThat(node.vertx()).isNull();
    assertThatThrownBy(node::membership).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is embedded").hasMessageContaining("ringstore.cluster.port");
  }

  @Test
  void badNodePropertiesNameTheSettingAndTheBound() {
    Properties weight = new Properties();
    weight.setProperty("ringstore.node.weight", "65");
    assertThatThrownBy(() -> manager(URI.create("ringstore:heavy"), weight))
        .hasMessageContaining("ringstore.node.weight = 65 is out of range; need 1 to 64");

    Properties seeds = new Properties();
    seeds.setProperty("ringstore.cluster.seeds", "nowhere");
    assertThatThrownBy(() -> manager(URI.create("ringstore:lost"), seeds))
        .hasMessageContaining("ringstore.cluster.seeds entry 'nowhere' is not host:port");

    Properties hints = new Properties();
    hints.setProperty("ringstore.handoff.maxBytes", "12");
    assertThatThrownBy(() -> manager(URI.create("ringstore:hintless"), hints))
        .hasMessageContaining("ringstore.handoff.maxBytes = 12 is out of range; need 1024 to");

    Properties bootstrap = new Properties();
    bootstrap.setProperty("ringstore.node.bootstrap", "maybe");
    assertThatThrownBy(() -> manager(URI.create("ringstore:unsure"), bootstrap))
        .hasMessageContaining("ringstore.node.bootstrap = 'maybe' is not true or false");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
