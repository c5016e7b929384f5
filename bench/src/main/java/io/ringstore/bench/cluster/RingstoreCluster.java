package io.ringstore.bench.cluster;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * Three Ringstore nodes in this JVM, each the node of its own {@code CacheManager} (URI
 * {@code ringstore:bench-node-<i>}, node id {@code bench-<i>}), clustered on loopback: node 0
 * listens on a free port ({@code ringstore.cluster.port=0}) and nodes 1 and 2 join through it
 * ({@code ringstore.cluster.seeds} = node 0's gossip address). Once every node sees three live
 * members, the cache is created on all three with the same name and
 * {@code setReplication(3, W, R)}, keys {@code String} and values {@code byte[]}.
 *
 * <p>Thread-safety: see {@link ThreeNodeCluster}; {@link #start} and {@link #close} are called by
 * one thread.
 */
public final class RingstoreCluster implements ThreeNodeCluster {
  /** The provider's class, as a user names it to {@code Caching}. */
  public static final String PROVIDER_CLASS = "io.ringstore.provider.RingstoreCachingProvider";

  private static final int MEMBERS = 3;

  // constant after construction
  private final Quorum quorum;
  private final List<CacheManager> managers;
  private final List<Cache<String, byte[]>> caches;

  private RingstoreCluster(Quorum quorum, List<CacheManager> managers, List<Cache<String, byte[]>> caches) {
    this.quorum = quorum;
    this.managers = managers;
    this.caches = caches;
  }

  /**
   * Starts the three nodes, waits up to {@code joinTimeout} for each to see the other two alive,
   * and creates the cache on all three.
   *
   * @throws IllegalStateException if the nodes do not form one cluster of three in time
   * @throws javax.cache.CacheException if a node cannot create the cache (as, until replication
   *     over the network lands, a cache with N = 3 on a three-member ring)
   */
  public static RingstoreCluster start(Quorum quorum, Duration joinTimeout) {
    List<CacheManager> managers = startNodes("bench", joinTimeout);
    try {
      List<Cache<String, byte[]>> caches = new ArrayList<>(MEMBERS);
      for (CacheManager manager : managers) {
        caches.add(manager.createCache(CACHE_NAME, configuration(quorum)));
      }
      return new RingstoreCluster(quorum, List.copyOf(managers), List.copyOf(caches));
    } catch (RuntimeException | Error e) {
      closeAll(managers, e);
      throw e;
    }
  }

  /**
   * Starts {@value #MEMBERS} clustered nodes on loopback, each the node of its own cache manager
   * ({@code ringstore:<name>-node-<i>}, node ids {@code <name>-<i>}; node 0 is the seed), and
   * waits until each sees them all live.
   *
   * @return the managers, in start order; on failure every one started is closed
   */
  static List<CacheManager> startNodes(String name, Duration joinTimeout) {
    ClassLoader loader = RingstoreCluster.class.getClassLoader();
    CachingProvider provider = Caching.getCachingProvider(PROVIDER_CLASS, loader);
    List<CacheManager> managers = new ArrayList<>(MEMBERS);
    try {
      CacheManager first = provider.getCacheManager(uri(name, 0), loader, nodeProperties(name, 0, null));
      managers.add(first);
      String seed = gossipAddress(node(first));
      for (int i = 1; i < MEMBERS; i++) {
        managers.add(provider.getCacheManager(uri(name, i), loader, nodeProperties(name, i, seed)));
      }
      for (CacheManager manager : managers) {
        awaitMembers(node(manager), joinTimeout);
      }
      return managers;
    } catch (RuntimeException | Error e) {
      closeAll(managers, e);
      throw e;
    }
  }

  private static URI uri(String name, int i) {
    return URI.create("ringstore:" + name + "-node-" + i);
  }

  private static Properties nodeProperties(String name, int i, @Nullable String seed) {
    Properties p = new Properties();
    p.setProperty("ringstore.node.id", name + "-" + i);
    p.setProperty("ringstore.cluster.host", "127.0.0.1");
    p.setProperty("ringstore.cluster.port", "0");
    if (seed != null) {
      p.setProperty("ringstore.cluster.seeds", seed);
    }
    return p;
  }

  private static RingstoreConfiguration<String, byte[]> configuration(Quorum quorum) {
    return new RingstoreConfiguration<String, byte[]>()
        .setTypes(String.class, byte[].class)
        .setReplication(Quorum.REPLICAS, quorum.writeQuorum(), quorum.readQuorum())
        .setStatisticsEnabled(false);
  }

  static RingstoreNode node(CacheManager manager) {
    return manager.unwrap(RingstoreNode.class);
  }

  /** The {@code host:port} node 0 takes gossip at, as it publishes it about itself. */
  private static String gossipAddress(RingstoreNode node) {
    var view = node.membership().view();
    Member self = view.members().get(view.self());
    return self.gossipAddress().orElseThrow(() -> new IllegalStateException(
        "node " + node.nodeId() + " publishes no gossip address; nodes 1 and 2 cannot be given it as their seed"));
  }

  /** Waits until {@code node} sees {@value #MEMBERS} live members that are not leaving. */
  private static void awaitMembers(RingstoreNode node, Duration timeout) {
    Membership membership = node.membership();
    CountDownLatch formed = new CountDownLatch(1);
    MembershipListener listener = new MembershipListener() {
      @Override
      public void onJoined(Member member) {
        check();
      }

      @Override
      public void onStatusChanged(Member member, NodeStatus previous) {
        check();
      }

      @Override
      public void onUp(Member member) {
        check();
      }

      private void check() {
        if (liveMembers(membership) >= MEMBERS) {
          formed.countDown();
        }
      }
    };
    membership.addListener(listener);
    try {
      if (liveMembers(membership) >= MEMBERS) {
        return;
      }
      if (!formed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("node " + node.nodeId() + " sees " + liveMembers(membership)
            + " live members after " + timeout.toSeconds() + " s; need " + MEMBERS + " (view: "
            + membership.view().members().values() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while node " + node.nodeId() + " waited for its cluster", e);
    } finally {
      membership.removeListener(listener);
    }
  }

  private static long liveMembers(Membership membership) {
    return membership.view().members().values().stream()
        .filter(m -> m.alive() && (m.status() == NodeStatus.JOINING || m.status() == NodeStatus.NORMAL))
        .count();
  }

  @Override
  public Cache<String, byte[]> cache() {
    return caches.get(0);
  }

  @Override
  public List<Cache<String, byte[]>> memberCaches() {
    return caches;
  }

  @Override
  public String description() {
    return "ringstore: 3 clustered nodes on loopback, N=" + Quorum.REPLICAS + " W=" + quorum.writeQuorum()
        + " R=" + quorum.readQuorum() + ", memory engine";
  }

  @Override
  public void close() {
    closeAll(managers, null);
  }

  /** Closes every manager (and so its node), the last started first; adds failures to {@code failure}. */
  static void closeAll(List<CacheManager> managers, @Nullable Throwable failure) {
    RuntimeException first = null;
    for (int i = managers.size() - 1; i >= 0; i--) {
      try {
        managers.get(i).close();
      } catch (RuntimeException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
