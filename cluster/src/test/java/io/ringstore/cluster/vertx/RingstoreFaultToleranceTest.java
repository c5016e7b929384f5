package io.ringstore.cluster.vertx;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.tests.eventbus.FaultToleranceTest;
import java.time.Duration;
import java.util.List;

/**
 * Vert.x's fault-tolerance test (JUnit 4) against {@link RingstoreClusterManager}: this JVM runs
 * one node, and three child JVMs (started by the test with this class path) join it and are then
 * killed (two of them) with {@code destroyForcibly}; the survivors must see them down and their
 * registrations gone. The children build their cluster manager through {@code ServiceLoader}
 * ({@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}; this module's classes come
 * first on the class path, before vertx-hazelcast's), configured by the system properties given
 * here: the seed of this JVM's node and the same fast gossip.
 */
public class RingstoreFaultToleranceTest extends FaultToleranceTest {
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration DOWN_AFTER = Duration.ofSeconds(2);

  private final TestCluster cluster = new TestCluster(s -> s.withGossip(INTERVAL, DOWN_AFTER));

  @Override
  protected ClusterManager getClusterManager() {
    return cluster.next();
  }

  @Override
  protected List<String> getExternalNodeSystemProperties() {
    return List.of(
        "-Dringstore.cluster.seeds=" + cluster.seed(),
        "-Dringstore.gossip.intervalMillis=" + INTERVAL.toMillis(),
        "-Dringstore.gossip.downAfterMillis=" + DOWN_AFTER.toMillis(),
        "-Xmx128m",
        "-XX:TieredStopAtLevel=1");
  }
}
