package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.ha.HATest;

/** Vert.x's HA suite (JUnit 4) against {@link RingstoreClusterManager}: failover through the sync map. */
public class RingstoreHATest extends HATest {
  private final TestCluster cluster = new TestCluster();

  @Override
  protected ClusterManager getClusterManager() {
    return cluster.next();
  }
}
