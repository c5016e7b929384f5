package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Vert.x 5 finds cluster managers as {@link VertxServiceProvider}s through {@link ServiceLoader};
 * ours must be among them, and a Vert.x bootstrap that names no cluster manager takes the first
 * found. (The test class path also holds vertx-hazelcast for the adapter's test, so this checks
 * that ours is found, not that it is the only one.)
 */
class ServiceDiscoveryTest {

  @Test
  void vertxFindsRingstoresClusterManagerThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(VertxServiceProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(RingstoreClusterManager.class);
  }

  @Test
  void theServiceLoadedManagerReadsItsSettingsFromTheSystemProperties() {
    ClusterManager found = ServiceLoader.load(VertxServiceProvider.class).stream()
        .filter(p -> p.type() == RingstoreClusterManager.class)
        .map(p -> (ClusterManager) p.get())
        .findFirst().orElseThrow();
    VertxBootstrap bootstrap = VertxBootstrap.create();
    found.init(bootstrap);

    assertThat(bootstrap.clusterManager()).isSameAs(found);
    assertThat(((RingstoreClusterManager) found).settings().host()).isEqualTo(System.getProperty("ringstore.cluster.host", "127.0.0.1"));
  }

  @Test
  void aBadSystemPropertyFailsTheJoinNamingItAndLeavesOtherVertxInstancesAlone() throws Exception {
    String old = System.getProperty("ringstore.cluster.port");
    System.setProperty("ringstore.cluster.port", "99999");
    try {
      io.vertx.core.Vertx plain = io.vertx.core.Vertx.vertx(); // every service provider is built, ours too
      plain.close().await();
      var failure = io.vertx.core.Vertx.builder().withClusterManager(new RingstoreClusterManager()).buildClustered();
      assertThat(failure.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get())
          .hasMessageContaining("ringstore.cluster.port = 99999 is out of range");
    } finally {
      if (old == null) {
        System.clearProperty("ringstore.cluster.port");
      } else {
        System.setProperty("ringstore.cluster.port", old);
      }
    }
  }

  @Test
  void aPortInUseIsNamedWithItsSettings() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      var manager = new RingstoreClusterManager(ClusterManagerSettings.defaults().withAddress(taken.getLocalPort(), java.util.List.of()));
      var failure = io.vertx.core.Vertx.builder().withClusterManager(manager).buildClustered();
      assertThat(failure.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get())
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("ringstore.cluster.port");
    }
  }
}
