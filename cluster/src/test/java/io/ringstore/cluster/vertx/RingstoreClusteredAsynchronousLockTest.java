package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.shareddata.ClusteredAsynchronousLockTest;
import org.junit.Test;

/**
 * Vert.x's clustered lock suite (JUnit 4, 3 nodes) against {@link RingstoreClusterManager}, with
 * the two tests Vert.x leaves to real cluster managers: a lock held by a node is released when the
 * node closes, or leaves the cluster.
 */
public class RingstoreClusteredAsynchronousLockTest extends ClusteredAsynchronousLockTest {
  private final TestCluster cluster = new TestCluster();

  @Override
  protected ClusterManager getClusterManager() {
    return cluster.next();
  }

  @Override
  @Test
  public void testLockReleasedForClosedNode() throws Exception {
    super.testLockReleasedForClosedNode();
  }

  @Override
  @Test
  public void testLockReleasedForKilledNode() throws Exception {
    super.testLockReleasedForKilledNode();
  }
}
