package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.shareddata.ClusteredAsyncMapTest;

/**
 * Vert.x's clustered async-map suite (JUnit 4, 3 nodes) against {@link RingstoreClusterManager}.
 * Java serialisation is allowed for Vert.x's test classes only ({@code io.vertx.tests.**}), which
 * the suite's Serializable cases need.
 */
public class RingstoreClusteredAsyncMapTest extends ClusteredAsyncMapTest {
  /** The allow-list the Vert.x suites that put Serializable test objects need. */
  static final String TEST_CLASSES = "io.vertx.tests.**";

  private final TestCluster cluster = new TestCluster(s -> s.withSerializableFilter(TEST_CLASSES));

  @Override
  protected ClusterManager getClusterManager() {
    return cluster.next();
  }
}
