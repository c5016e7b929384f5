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
}
