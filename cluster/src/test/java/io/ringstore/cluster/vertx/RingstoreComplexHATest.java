package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.ha.ComplexHATest;

/** Vert.x's randomised HA test (JUnit 4) against {@link RingstoreClusterManager}. */
public class RingstoreComplexHATest extends ComplexHATest {
  private final TestCluster cluster = new TestCluster();

  @Override
  protected ClusterManager getClusterManager() {
    return cluster.next();
  }
}
