package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.eventbus.ClusteredEventBusTest;

/** Vert.x's clustered event-bus test suite (JUnit 4) against {@link RingstoreClusterManager}. */
public class RingstoreClusteredEventBusTest extends ClusteredEventBusTest {
  private final TestCluster cluster = new TestCluster();

  @Override
  protected ClusterManager getClusterManager() {
    return cluster.next();
  }
}
