package io.ringstore.provider.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.RingstoreCache;
import io.ringstore.provider.Versions;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.SiblingResolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent writers on two nodes while the third replica's node is gone (closed: the
 * "partitioned" replica), N = 3, W = 2, R = 2: each writer reads the cart with its causal context
 * and writes the cart plus one item with that same, now old, context, so the two writes are
 * concurrent and the replicas keep both as siblings. A plain {@code get} hands them to the cache's
 * {@link SiblingResolver} and writes its answer back: a shopping-cart resolver (the union of the
 * items) loses no item; the default last-write-wins resolver keeps one side and counts the other
 * as discarded.
 *
 * <p>Plain JCache puts never make siblings on Ringstore (the key's primary serialises them):
 * siblings come from writes with an old context, and from two primaries under a partition.
 */
class ShoppingCartSiblingsTest {
  private static final int ROUNDS = 10;

  /** A cart is its items joined with ','; siblings merge into the union of their items. */
  static final class CartUnion implements SiblingResolver<String> {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String resolve(List<Version<String>> siblings) {
      calls.incrementAndGet();
      Set<String> items = new TreeSet<>();
      for (Version<String> sibling : siblings) {
        if (sibling.value() != null) {
          items.addAll(items(sibling.value()));
        }
      }
      return String.join(",", items);
    }
  }

  static Set<String> items(String cart) {
    Set<String> items = new TreeSet<>(Arrays.asList(cart.split(",")));
    items.remove("");
    return items;
  }

  private LoopbackCluster cluster;
  private final ExecutorService writers = Executors.newFixedThreadPool(2);

  @BeforeEach
  void start() {
    cluster = LoopbackCluster.start("cart", 3);
  }

  @AfterEach
  void stop() {
    writers.shutdownNow();
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Two writers, on nodes 0 and 1, add {@code first} and {@code second} to the cart, both from the same read. */
  private void addConcurrently(List<RingstoreCache<String, String>> caches, String key, String first, String second) throws Exception {
    CyclicBarrier bothRead = new CyclicBarrier(2);
    List<Future<?>> done = new ArrayList<>();
    String[] items = {first, second};
    for (int writer = 0; writer < 2; writer++) {
      RingstoreCache<String, String> cache = caches.get(writer);
      String item = items[writer];
      done.add(writers.submit(() -> {
        Versions<String> read = cache.getVersionsWithContext(key);
        assertThat(read.versions()).as("the cart before a round").hasSizeLessThanOrEqualTo(1);
        String cart = read.versions().isEmpty() ? "" : read.versions().get(0).value();
        bothRead.await(); // neither writes before both have read: the second write does not see the first
        cache.put(key, cart.isEmpty() ? item : cart + "," + item, read.context());
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
  }

  @Test
  void concurrentWritersOnTwoNodesMakeSiblingsThatTheCartResolverMergesWithoutLosingAnItem() throws Exception {
    CartUnion union = new CartUnion();
    List<RingstoreCache<String, String>> caches = cluster.createCache("carts",
        new RingstoreConfiguration<String, String>().setTypes(String.class, String.class).setReplication(3, 2, 2)
            .setSiblingResolver(union));
    caches.get(0).put("alice", "bread");
    cluster.close(2);
    cluster.awaitAliveMembers(2);

    Set<String> added = new TreeSet<>(Set.of("bread"));
    for (int round = 0; round < ROUNDS; round++) {
      String milk = "milk-" + round;
      String eggs = "eggs-" + round;
      added.add(milk);
      added.add(eggs);
      addConcurrently(caches, "alice", milk, eggs);

      RingstoreCache<String, String> reader = caches.get(round % 2);
      List<SiblingResolver.Version<String>> siblings = reader.getVersions("alice");
      assertThat(siblings).as("versions after round %d", round).hasSize(2);
      assertThat(siblings).extracting(v -> items(v.value())).allMatch(items -> items.contains(milk) != items.contains(eggs));

      int calls = union.calls.get();
      String cart = reader.get("alice");
      assertThat(union.calls.get()).as("resolver calls").isGreaterThan(calls);
      assertThat(items(cart)).as("the cart after round %d", round).isEqualTo(added);
      // the resolution was written back: one version, on both nodes
      for (RingstoreCache<String, String> cache : caches.subList(0, 2)) {
        assertThat(cache.getVersions("alice")).extracting(SiblingResolver.Version::value).containsExactly(cart);
      }
    }
    assertThat(items(caches.get(1).get("alice"))).hasSize(1 + 2 * ROUNDS).isEqualTo(added);
  }

  @Test
  void lastWriteWinsKeepsOneOfTheConcurrentWritesAndCountsTheOther() throws Exception {
    List<RingstoreCache<String, String>> caches = cluster.createCache("lww-carts",
        new RingstoreConfiguration<String, String>().setTypes(String.class, String.class).setReplication(3, 2, 2));
    caches.get(0).put("bob", "bread");
    cluster.close(2);
    cluster.awaitAliveMembers(2);

    long discardedBefore = caches.get(0).getDiscardedSiblings();
    addConcurrently(caches, "bob", "milk", "eggs");
    assertThat(caches.get(0).getVersions("bob")).hasSize(2);

    String cart = caches.get(0).get("bob");
    assertThat(items(cart)).as("last write wins: one of the two concurrent carts")
        .isIn(Set.of("bread", "milk"), Set.of("bread", "eggs"));
    assertThat(caches.get(0).getDiscardedSiblings() - discardedBefore).as("discarded siblings").isEqualTo(1);
    assertThat(caches.get(1).getVersions("bob")).extracting(SiblingResolver.Version::value).containsExactly(cart);
  }
}
