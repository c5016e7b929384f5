package io.ringstore.provider.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.RingstoreCache;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replicated-cache behaviour that was once wrong, each test failing on the bug it names: an update
 * that changed nothing after a conflict kept its turn at the primary and starved the key's other
 * updates (ContentionException with no real contention); replica writes in flight during a
 * {@code clear()} brought cleared entries back.
 */
class ReplicatedCacheRegressionTest {
  private static LoopbackCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LoopbackCluster.start("kb", 3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<RingstoreCache<String, String>> caches(String name, int w, int r) {
    return cluster.createCache(name, new RingstoreConfiguration<String, String>().setTypes(String.class, String.class)
        .setReplication(3, w, r));
  }

  /**
   * PrimaryCommits.commit queues an update whose conditional commit conflicts (Turn, TURN_NANOS =
   * 100 ms), and only the queue's head may then commit the key. An update that, after its conflict,
   * decides again and finds nothing to change (Mutation.KEEP: a losing putIfAbsent, a replace or
   * remove(k, v) whose old value no longer matches) returns from Coordinator.attempt without going
   * back to the primary, so it never leaves the queue: every other update of that key for the next
   * 100 ms conflicts ("not my turn"), and one whose 16 attempts' backoff (about 115 ms on average)
   * ends first fails with a ContentionException, with no concurrent writer at all. Here: three
   * nodes race a putIfAbsent on a fresh key (the losers conflict, then decide KEEP), then a plain
   * replace follows.
   */
  @Test
  void anUpdateAfterLosingPutIfAbsentsIsNotRefusedForContention() throws Exception {
    List<RingstoreCache<String, String>> caches = caches("turns", 2, 2);
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      for (int i = 0; i < 30; i++) {
        String key = "k" + i;
        CyclicBarrier start = new CyclicBarrier(3);
        List<Future<Boolean>> won = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
          Cache<String, String> cache = caches.get(node);
          String value = "node-" + node;
          won.add(threads.submit(() -> {
            start.await();
            return cache.putIfAbsent(key, value);
          }));
        }
        int winners = 0;
        for (Future<Boolean> f : won) {
          winners += f.get() ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
        assertThat(caches.get(i % 3).replace(key, "replaced")).as("replace of %s", key).isTrue(); // throws ContentionException
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * Same cause, one thread: with W = 1 and R = 1 the update's read may see a replica that has not
   * yet received the previous write; the commit conflicts, the update decides again on the
   * primary's copy and finds nothing to change (KEEP), and keeps its turn; the next update of the
   * key, from another node, then fails with "gave up after 16 attempts, each overtaken by a
   * concurrent update at its primary".
   */
  @Test
  void sequentialUpdatesFromSeveralNodesAreNeverRefusedForContention() {
    List<RingstoreCache<String, String>> caches = caches("sequential", 1, 1);
    for (int i = 0; i < 60; i++) {
      String key = "s" + i;
      caches.get(i % 3).put(key, "one");
      caches.get((i + 1) % 3).put(key, "two");
      caches.get((i + 2) % 3).remove(key, "one"); // may read "one" from a stale replica: conflict, then KEEP
      caches.get(i % 3).replace(key, "three"); // ContentionException within the next 100 ms
    }
  }

  /**
   * clear() removes the records on every live node, but replica writes still in flight are not
   * fenced: with W = 1 a put is acknowledged once the key's primary holds it, while the primary's
   * copies to the other replicas (WriteRound) are still on their way; a clear() issued right after
   * the put returns empties every node, and then those copies arrive and re-create the record.
   * Read repair sent just before a clear does the same. A clear has no version (no tombstones, no
   * epoch), so a replica cannot tell that such a write is older than the clear: entries cleared
   * by a clear that returned come back, for good, on some replicas, and iteration (and a read on
   * those nodes) returns them.
   */
  @Test
  void writesAcknowledgedBeforeAClearDoNotComeBackAfterIt() {
    List<RingstoreCache<String, String>> caches = caches("cleared", 1, 1);
    Map<String, String> written = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      written.put("c" + i, "v" + i);
    }
    for (int round = 0; round < 10; round++) {
      caches.get(round % 3).putAll(written);
      caches.get((round + 1) % 3).clear();
      for (int node = 0; node < 3; node++) {
        Cache<String, String> cache = caches.get(node);
        int n = node;
        int r = round;
        // nothing may reappear, now or later
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(100)).atMost(java.time.Duration.ofSeconds(2))
            .untilAsserted(() -> assertThat(cache.iterator().hasNext()).as("an entry after clear, round %d, node %d", r, n).isFalse());
      }
    }
  }
}
