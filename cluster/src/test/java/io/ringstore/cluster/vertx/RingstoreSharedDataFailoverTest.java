package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code docs/cluster-manager.md} promises when the coordinator leaves cleanly, on three real
 * clustered Vert.x nodes: the next oldest member takes over with the whole state, so the map, the
 * counter and the sync map keep their contents, a lock held by the leaving node passes to the node
 * waiting for it, and an entry with a TTL still expires (the new coordinator arms its timer).
 */
class RingstoreSharedDataFailoverTest {
  private final TestCluster cluster = new TestCluster();
  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() throws Exception {
    for (Vertx v : nodes) {
      v.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void theNextOldestMemberTakesOverTheStateWhenTheCoordinatorLeaves() throws Exception {
    Vertx first = start();
    Vertx second = start();
    Vertx third = start();

    AsyncMap<String, String> map = await(first.sharedData().getAsyncMap("orders"));
    await(map.put("k", "v"));
    await(map.put("short-lived", "x", 1_500));
    Counter counter = await(first.sharedData().getCounter("c"));
    await(counter.addAndGet(41));
    Lock held = await(first.sharedData().getLockWithTimeout("l", 10_000));
    Future<Lock> waiting = third.sharedData().getLockWithTimeout("l", 30_000);
    assertThat(held).isNotNull();

    await(first.close()); // the coordinator leaves; the second node takes over
    nodes.remove(first);

    Lock passedOn = await(waiting);
    AsyncMap<String, String> seen = await(third.sharedData().getAsyncMap("orders"));
    assertThat(await(seen.get("k"))).isEqualTo("v");
    assertThat(await(await(second.sharedData().getCounter("c")).incrementAndGet())).isEqualTo(42L);
    Map<String, String> sync = ((VertxInternal) second).clusterManager().getSyncMap("orders");
    assertThat(sync).containsEntry("k", "v");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (await(seen.get("short-lived")) != null) {
      assertThat(System.nanoTime()).as("the TTL entry expires under the new coordinator").isLessThan(deadline);
      Thread.sleep(50);
    }
    passedOn.release();
    await(second.sharedData().getLockWithTimeout("l", 10_000)).release();
  }

  private Vertx start() throws Exception {
    Vertx v = await(Vertx.builder().withClusterManager(cluster.next()).buildClustered());
    nodes.add(v);
    return v;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
