package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.eventbus.NodeInfoTest;

/** Vert.x's node-info test (JUnit 4) against {@link RingstoreClusterManager}. */
public class RingstoreNodeInfoTest extends NodeInfoTest {
  private final TestCluster cluster = new TestCluster();

  @Override
  protected ClusterManager getClusterManager() {
    return cluster.next();
  }
}
