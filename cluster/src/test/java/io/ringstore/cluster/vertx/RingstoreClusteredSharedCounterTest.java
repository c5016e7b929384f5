package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.shareddata.ClusteredSharedCounterTest;

/** Vert.x's clustered counter suite (JUnit 4, 3 nodes) against {@link RingstoreClusterManager}. */
public class RingstoreClusteredSharedCounterTest extends ClusteredSharedCounterTest {
  private final TestCluster cluster = new TestCluster();

  @Override
  protected ClusterManager getClusterManager() {
    return cluster.next();
  }
}
