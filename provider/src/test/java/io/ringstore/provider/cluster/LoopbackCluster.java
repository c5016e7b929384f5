package io.ringstore.provider.cluster;

import static org.awaitility.Awaitility.await;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.RingstoreCache;
import io.ringstore.provider.RingstoreCachingProvider;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

/**
 * Cache managers in this JVM whose nodes form one cluster on loopback (each its own clustered
 * Vert.x, fast gossip), for tests of replicated caches through the {@code javax.cache} API. Node
 * {@code i} is named {@code <prefix>-i}; the first one's cluster port is every node's seed.
 *
 * <p>Thread-safety: start, create and close from one thread; the managers themselves are
 * thread-safe.
 */
final class LoopbackCluster implements AutoCloseable {
  private static final ClassLoader LOADER = LoopbackCluster.class.getClassLoader();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final String prefix;
  private final int seedPort = freePort();
  private final List<CacheManager> managers = new ArrayList<>();

  private LoopbackCluster(String prefix) {
    this.prefix = prefix;
  }

  /** Starts {@code count} managers and waits until every node sees all of them alive, on one ring. */
  static LoopbackCluster start(String prefix, int count) {
    LoopbackCluster cluster = new LoopbackCluster(prefix);
    try {
      for (int i = 0; i < count; i++) {
        cluster.add();
      }
      cluster.awaitAlive(count);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void add() {
    String id = prefix + "-" + managers.size();
    Properties p = new Properties();
    p.setProperty("ringstore.node.id", id);
    p.setProperty("ringstore.cluster.port", Integer.toString(managers.isEmpty() ? seedPort : 0));
    p.setProperty("ringstore.cluster.seeds", "127.0.0.1:" + seedPort);
    p.setProperty("ringstore.gossip.intervalMillis", "100");
    p.setProperty("ringstore.gossip.downAfterMillis", "1500");
    CachingProvider provider = Caching.getCachingProvider(RingstoreCachingProvider.class.getName());
    managers.add(provider.getCacheManager(URI.create("ringstore:" + id), LOADER, p));
  }

  /** Waits until every open node sees {@code count} members alive and a ring of {@code count}. */
  void awaitAlive(int count) {
    await().atMost(PATIENCE).until(() -> managers.stream().filter(m -> !m.isClosed()).map(LoopbackCluster::node)
        .allMatch(n -> n.membership().view().members().values().stream().filter(Member::alive).count() == count
            && n.ring().members().size() == count));
  }

  /**
   * Waits until every open node sees exactly {@code count} members alive (after a node left or
   * was closed; the ring may keep a departed member).
   */
  void awaitAliveMembers(int count) {
    await().atMost(PATIENCE).until(() -> managers.stream().filter(m -> !m.isClosed()).map(LoopbackCluster::node)
        .allMatch(n -> n.membership().view().members().values().stream().filter(Member::alive).count() == count));
  }

  int size() {
    return managers.size();
  }

  CacheManager manager(int index) {
    return managers.get(index);
  }

  static RingstoreNode node(CacheManager manager) {
    return manager.unwrap(RingstoreNode.class);
  }

  String nodeId(int index) {
    return node(managers.get(index)).nodeId();
  }

  /** Creates cache {@code name} with {@code configuration} on every open manager, in index order (closed ones get null). */
  @SuppressWarnings("unchecked")
  <K, V> List<RingstoreCache<K, V>> createCache(String name, RingstoreConfiguration<K, V> configuration) {
    List<RingstoreCache<K, V>> caches = new ArrayList<>();
    for (CacheManager manager : managers) {
      caches.add(manager.isClosed() ? null
          : (RingstoreCache<K, V>) manager.createCache(name, configuration).unwrap(RingstoreCache.class));
    }
    return caches;
  }

  /** Closes manager {@code index} (its node leaves the cluster). */
  void close(int index) {
    managers.get(index).close();
  }

  @Override
  public void close() {
    for (int i = managers.size() - 1; i >= 0; i--) {
      managers.get(i).close();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
