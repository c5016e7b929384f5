package io.ringstore.bench.cluster;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.cache.ICache;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.BuildInfoProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * Three Hazelcast 5 members in this JVM, joined over TCP/IP on 127.0.0.1 (multicast and
 * auto-detection off, a cluster name unique to this run, phone-home and Jet off, Hazelcast's
 * logging through {@code java.util.logging} at {@code WARNING}), and the cache created through the
 * JCache provider of member 0 ({@value HazelcastCachingProvider#MEMBER_CACHING_PROVIDER}) with a
 * {@link CacheConfig} of {@value Quorum#HAZELCAST_BACKUPS} synchronous backups (three copies),
 * {@link InMemoryFormat#BINARY}, statistics off, keys {@code String} and values {@code byte[]}.
 * The cache is used only once the cluster has three members and member 0 is safe (its partitions'
 * backups are in place).
 *
 * <p>Hazelcast has no read quorum: a read goes to the key's primary, a write waits for the primary
 * and every synchronous backup. So the same cluster stands beside both of Ringstore's quorums.
 *
 * <p>Thread-safety: see {@link ThreeNodeCluster}; {@link #start} and {@link #close} are called by
 * one thread.
 */
public final class HazelcastCluster implements ThreeNodeCluster {
  private static final int MEMBERS = 3;

  // constant after construction
  private final List<HazelcastInstance> members;
  private final CacheManager manager;
  private final Cache<String, byte[]> cache;
  /** Held so that its level is not lost when the logger is collected. */
  private final Logger hazelcastLogger;

  private HazelcastCluster(List<HazelcastInstance> members, CacheManager manager, Cache<String, byte[]> cache,
      Logger hazelcastLogger) {
    this.members = members;
    this.manager = manager;
    this.cache = cache;
    this.hazelcastLogger = hazelcastLogger;
  }

  /**
   * Starts three members on three free loopback ports, waits up to {@code joinTimeout} for them
   * to form one cluster of three, and creates the cache.
   *
   * @throws IllegalStateException if the members do not form one safe cluster of three in time
   * @throws UncheckedIOException if no free ports can be found
   */
  public static HazelcastCluster start(Duration joinTimeout) {
    List<Integer> ports = freePorts(MEMBERS);
    Logger hazelcastLogger = Logger.getLogger("com.hazelcast");
    hazelcastLogger.setLevel(Level.WARNING);
    String clusterName = "ringstore-bench-" + UUID.randomUUID();
    List<HazelcastInstance> members = new ArrayList<>(MEMBERS);
    CacheManager manager = null;
    try {
      for (int i = 0; i < MEMBERS; i++) {
        members.add(Hazelcast.newHazelcastInstance(config(clusterName, i, ports)));
      }
      awaitCluster(members, joinTimeout);
      ClassLoader loader = HazelcastCluster.class.getClassLoader();
      CachingProvider provider = Caching.getCachingProvider(HazelcastCachingProvider.MEMBER_CACHING_PROVIDER, loader);
      manager = provider.getCacheManager(URI.create("ringstore-bench-hazelcast"), loader,
          HazelcastCachingProvider.propertiesByInstanceItself(members.get(0)));
      CacheConfig<String, byte[]> cacheConfig = new CacheConfig<String, byte[]>()
          .setBackupCount(Quorum.HAZELCAST_BACKUPS)
          .setAsyncBackupCount(0)
          .setInMemoryFormat(InMemoryFormat.BINARY);
      cacheConfig.setTypes(String.class, byte[].class);
      cacheConfig.setStatisticsEnabled(false);
      Cache<String, byte[]> cache = manager.createCache(CACHE_NAME, cacheConfig);
      return new HazelcastCluster(List.copyOf(members), manager, cache, hazelcastLogger);
    } catch (RuntimeException | Error e) {
      shutDown(manager, members, e);
      throw e;
    }
  }

  private static Config config(String clusterName, int i, List<Integer> ports) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setInstanceName(clusterName + "-" + i);
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // members start one after the other; no need to wait for others before joining
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.getJetConfig().setEnabled(false);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(ports.get(i)).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int port : ports) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + port);
    }
    return config;
  }

  /**
   * {@code count} distinct ports that were free on 127.0.0.1 a moment ago (held open together,
   * then released for the members to take; another process could take one in between, which
   * makes a member fail to start, never join a wrong cluster: the cluster name is unique).
   */
  static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      List<Integer> ports = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find " + count + " free ports on the loopback interface", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // the port was only borrowed; nothing to undo
        }
      }
    }
  }

  /** Waits until every member sees three members and member 0's partitions are backed up. */
  private static void awaitCluster(List<HazelcastInstance> members, Duration timeout) {
    long timeoutMillis = timeout.toMillis();
    for (HazelcastInstance member : members) {
      CountDownLatch formed = new CountDownLatch(1);
      UUID registration = member.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          if (event.getMembers().size() >= MEMBERS) {
            formed.countDown();
          }
        }

        @Override
        public void memberRemoved(MembershipEvent event) {}
      });
      try {
        if (member.getCluster().getMembers().size() < MEMBERS && !formed.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("Hazelcast member " + member.getName() + " sees "
              + member.getCluster().getMembers().size() + " members after " + timeout.toSeconds() + " s; need " + MEMBERS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while Hazelcast member " + member.getName() + " waited for its cluster", e);
      } finally {
        member.getCluster().removeMembershipListener(registration);
      }
    }
    for (HazelcastInstance member : members) {
      if (!member.getPartitionService().forceLocalMemberToBeSafe(timeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("Hazelcast member " + member.getName() + " is not safe (backups of its partitions"
            + " not in place) after " + timeout.toSeconds() + " s");
      }
    }
  }

  @Override
  public Cache<String, byte[]> cache() {
    return cache;
  }

  /** Member 0's JCache cache, then the same cache as members 1 and 2 serve it (their own proxies). */
  @Override
  public List<Cache<String, byte[]>> memberCaches() {
    List<Cache<String, byte[]>> caches = new ArrayList<>(MEMBERS);
    caches.add(cache);
    // the member's own cache manager takes the full name without its "/hz/" prefix
    String prefixed = cache.unwrap(ICache.class).getPrefixedName();
    String name = prefixed.startsWith(HazelcastCacheManager.CACHE_MANAGER_PREFIX)
        ? prefixed.substring(HazelcastCacheManager.CACHE_MANAGER_PREFIX.length()) : prefixed;
    for (int i = 1; i < MEMBERS; i++) {
      caches.add(members.get(i).getCacheManager().getCache(name));
    }
    return caches;
  }

  @Override
  public String description() {
    return "hazelcast " + BuildInfoProvider.getBuildInfo().getVersion() + ": 3 members on loopback, backup-count "
        + Quorum.HAZELCAST_BACKUPS + " (sync), in-memory format BINARY, reads from the primary";
  }

  @Override
  public void close() {
    // the members still up warn about each one that goes; none of that is news at the end
    hazelcastLogger.setLevel(Level.SEVERE);
    shutDown(manager, members, null);
    hazelcastLogger.setLevel(null);
  }

  private static void shutDown(@Nullable CacheManager manager, List<HazelcastInstance> members, @Nullable Throwable failure) {
    RuntimeException first = null;
    if (manager != null) {
      try {
        manager.close();
      } catch (RuntimeException e) {
        first = e;
      }
    }
    // one graceful shutdown of the whole cluster (no partition migrations, no member left
    // warning about the others), then any member still running on its own
    for (HazelcastInstance member : members) {
      if (member.getLifecycleService().isRunning()) {
        try {
          member.getCluster().shutdown();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
        break;
      }
    }
    for (int i = members.size() - 1; i >= 0; i--) {
      try {
        members.get(i).shutdown();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      if (failure != null) {
        failure.addSuppressed(first);
      } else {
        throw first;
      }
    }
  }
}
