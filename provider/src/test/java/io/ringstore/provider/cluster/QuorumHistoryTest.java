package io.ringstore.provider.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.RingstoreCache;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code W + R > N} (N = 3, W = 2, R = 2) and no membership change, a read never returns a
 * value older than the last write that completed before the read began. A seeded history of
 * thousands of puts and gets over a few keys, issued by several client threads through all three
 * nodes, is logged (each operation's invoke and completion time, every written value unique) and
 * checked: a read returns either the latest write that completed before it began, or a write
 * concurrent with it (one that began before the read ended and did not complete before the read
 * began, or was not superseded before the read began); never an older one, never one from the
 * future, and {@code null} only if no write of the key completed before the read began.
 *
 * <p>Seed: {@code -Dringstore.seed=<n>} replays a run (the interleaving still depends on timing).
 */
class QuorumHistoryTest {
  private static final int KEYS = 50;
  private static final int CLIENTS = 3;
  private static final int OPERATIONS_PER_CLIENT = 1500;
  private static LoopbackCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LoopbackCluster.start("hist", 3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * One operation of the history: a write of {@code value}, or a read that returned {@code value};
   * times from System.nanoTime in this JVM; a write that failed never completed ({@code Long.MAX_VALUE}).
   */
  record Operation(boolean write, String key, @Nullable String value, int client, long invokeNanos, long completeNanos) {}

  @Test
  void everyReadReturnsTheLatestCompletedWriteOrAConcurrentOne() throws Exception {
    long seed = Long.getLong("ringstore.seed", System.nanoTime());
    System.out.println("QuorumHistoryTest seed = " + seed + " (replay with -Dringstore.seed=" + seed + ")");
    List<RingstoreCache<String, String>> caches = cluster.createCache("history",
        new RingstoreConfiguration<String, String>().setTypes(String.class, String.class).setReplication(3, 2, 2));

    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Operation>>> logs = new ArrayList<>();
    for (int client = 0; client < CLIENTS; client++) {
      int id = client;
      Random random = new Random(seed + client);
      logs.add(clients.submit(() -> {
        List<Operation> log = new ArrayList<>(OPERATIONS_PER_CLIENT);
        go.await();
        for (int i = 0; i < OPERATIONS_PER_CLIENT; i++) {
          RingstoreCache<String, String> cache = caches.get(random.nextInt(caches.size()));
          String key = "k" + random.nextInt(KEYS);
          if (random.nextBoolean()) {
            String value = "w" + id + "-" + i;
            long invoked = System.nanoTime();
            long completed = Long.MAX_VALUE;
            try {
              cache.put(key, value);
              completed = System.nanoTime();
            } finally {
              log.add(new Operation(true, key, value, id, invoked, completed));
            }
          } else {
            long invoked = System.nanoTime();
            String value = cache.get(key);
            log.add(new Operation(false, key, value, id, invoked, System.nanoTime()));
          }
        }
        return log;
      }));
    }
    go.countDown();
    List<Operation> history = new ArrayList<>();
    try {
      for (Future<List<Operation>> log : logs) {
        history.addAll(log.get());
      }
    } finally {
      clients.shutdownNow();
    }

    List<String> violations = check(history);
    long reads = history.stream().filter(o -> !o.write()).count();
    System.out.printf("QuorumHistoryTest: %d operations (%d reads, %d writes) over %d keys, %d violations%n", history.size(), reads,
        history.size() - reads, KEYS, violations.size());
    assertThat(violations).as("reads older than the last completed write (seed %d)", seed).isEmpty();
    assertThat(history).hasSize(CLIENTS * OPERATIONS_PER_CLIENT);
  }

  /** Every read of {@code history} that breaks the rule in the class comment, described. */
  static List<String> check(List<Operation> history) {
    Map<String, List<Operation>> writesByKey = new HashMap<>();
    Map<String, Operation> writeByValue = new HashMap<>();
    for (Operation op : history) {
      if (op.write()) {
        writesByKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        writeByValue.put(op.value(), op);
      }
    }
    List<String> violations = new ArrayList<>();
    for (Operation read : history) {
      if (read.write()) {
        continue;
      }
      List<Operation> writes = writesByKey.getOrDefault(read.key(), List.of());
      if (read.value() == null) {
        for (Operation w : writes) {
          if (w.completeNanos() < read.invokeNanos()) {
            violations.add("read " + read + " returned null after write " + w + " had completed");
            break;
          }
        }
        continue;
      }
      Operation source = writeByValue.get(read.value());
      if (source == null || !source.key().equals(read.key())) {
        violations.add("read " + read + " returned a value never written to its key");
        continue;
      }
      if (source.invokeNanos() > read.completeNanos()) {
        violations.add("read " + read + " returned " + source + ", which began after the read ended");
        continue;
      }
      for (Operation newer : writes) {
        if (source.completeNanos() < newer.invokeNanos() && newer.completeNanos() < read.invokeNanos()) {
          violations.add("read " + read + " returned " + source + ", superseded by " + newer + " before the read began");
          break;
        }
      }
    }
    return violations;
  }

  @Test
  void theCheckerFindsStaleReadsAndReadsFromTheFuture() {
    List<Operation> history = List.of(
        new Operation(true, "a", "1", 0, 0, 10),
        new Operation(true, "a", "2", 0, 20, 30),
        new Operation(false, "a", "2", 1, 40, 50), // the latest: fine
        new Operation(false, "a", "1", 1, 40, 50), // stale: 2 completed before the read began
        new Operation(true, "a", "3", 0, 45, 70),
        new Operation(false, "a", "3", 1, 46, 60), // concurrent with a write that had begun: fine
        new Operation(false, "a", "2", 1, 46, 60), // 3 had not completed: fine
        new Operation(true, "a", "4", 0, 80, 90),
        new Operation(false, "a", "4", 1, 61, 79), // from the future
        new Operation(false, "a", null, 1, 11, 12), // null after a completed write
        new Operation(false, "b", null, 1, 11, 12), // never written: fine
        new Operation(false, "b", "1", 1, 11, 12)); // a value of another key
    List<String> violations = check(history);
    assertThat(violations).hasSize(4);
    assertThat(violations.get(0)).contains("superseded");
    assertThat(violations.get(1)).contains("began after the read ended");
    assertThat(violations.get(2)).contains("returned null");
    assertThat(violations.get(3)).contains("never written");
  }
}
