package io.ringstore.tck;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.node.NodeOptions;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.cluster.vertx.ClusterManagerSettings;
import io.ringstore.cluster.vertx.EventBusSettings;
import io.ringstore.cluster.vertx.HardenedEventBus;
import io.ringstore.cluster.vertx.RingstoreClusterManager;
import io.ringstore.provider.RingstoreCachingProvider;
import io.ringstore.spi.env.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * For the TCK run on a cluster: before the TCK classes run, starts two peer nodes in this JVM
 * ({@value #PEER_PREFIX}1 on a free seed port, {@value #PEER_PREFIX}2 joining through it), writes
 * the default cache manager's configuration file (a clustered node seeded by the first peer,
 * {@code defaults: {replication: {n: 3, w: 2, r: 2}}}) to the path in the system property
 * {@value #CONFIG_FILE_PROPERTY}, points {@value RingstoreCachingProvider#CONFIGURATION_PROPERTY}
 * at it, and waits until the default manager's node sees three members alive and a ring of three.
 * After the run it closes the provider and then the peers.
 *
 * <p>The peers are plain nodes, not cache managers: the TCK closes every provider it can find, and
 * a peer must outlive that. Each of the TCK's provider closes makes the default manager's node
 * leave the cluster, and the next default manager joins as a new node.
 *
 * <p>The file gives the node no id, so each default manager's node has a fresh random
 * {@code node-} id: some TCK tests (CachingProviderClassLoaderTest, CacheTest.testGetCacheManager,
 * TypesTest) open default managers in several class loaders at once, and those are distinct nodes
 * of the cluster; with one fixed id they would be two processes claiming one id, and each join
 * would wait out its timeout for a ring that cannot form. A node id that rejoins after leaving
 * works (a new generation), but two live nodes must not share one. The system property
 * {@value #NODE_ID_PROPERTY} sets a fixed id anyway, to tell the two effects apart when diagnosing.
 *
 * <p>Active only when the system property {@value #ACTIVE_PROPERTY} is {@code true} (the build's
 * {@code tck-cluster} execution); otherwise it does nothing. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 *
 * <p>Thread-safety: the JUnit Platform opens and closes a session from one thread.
 */
public final class ClusterPeers implements LauncherSessionListener {
  private static final System.Logger LOG = System.getLogger(ClusterPeers.class.getName());

  /** The system property that turns the cluster on. */
  public static final String ACTIVE_PROPERTY = "tck.cluster";
  /** The system property naming where to write the default manager's configuration file. */
  public static final String CONFIG_FILE_PROPERTY = "tck.cluster.configFile";
  /**
   * The system property that gives the default manager's node a fixed id (for diagnosis; unset by
   * default, see the class comment).
   */
  public static final String NODE_ID_PROPERTY = "tck.cluster.nodeId";
  /** The peers' ids: this followed by 1 and 2. */
  public static final String PEER_PREFIX = "tck-peer-";
  /** Members the cluster has with the default manager's node. */
  public static final int MEMBERS = 3;

  private static final Duration JOIN_WAIT = Duration.ofSeconds(60);

  private final List<RingstoreNode> peers = new ArrayList<>();

  /** Created by the JUnit Platform's service loader. */
  public ClusterPeers() {}

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!Boolean.getBoolean(ACTIVE_PROPERTY)) {
      return;
    }
    long startNanos = System.nanoTime();
    int seedPort = freePort();
    String nodeId;
    try {
      peers.add(peer(PEER_PREFIX + 1, seedPort, seedPort));
      peers.add(peer(PEER_PREFIX + 2, 0, seedPort));
      Path file = writeConfiguration(seedPort);
      System.setProperty(RingstoreCachingProvider.CONFIGURATION_PROPERTY, file.toUri().toString());
      CacheManager manager = Caching.getCachingProvider().getCacheManager();
      RingstoreNode node = manager.unwrap(RingstoreNode.class);
      nodeId = node.nodeId();
      Awaitility.await().atMost(JOIN_WAIT).pollInterval(50, TimeUnit.MILLISECONDS).until(() -> alive(node) == MEMBERS
          && node.ring().members().size() == MEMBERS
          && peers.stream().allMatch(peer -> alive(peer) == MEMBERS && peer.ring().members().size() == MEMBERS));
    } catch (RuntimeException | Error e) {
      closePeers();
      throw e;
    }
    LOG.log(System.Logger.Level.INFO, "TCK cluster: {0}1, {0}2 and the default manager''s node {1} see {2} members alive after {3} ms",
        PEER_PREFIX, nodeId, MEMBERS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (peers.isEmpty()) {
      return;
    }
    try {
      Caching.getCachingProvider().close();
    } finally {
      closePeers();
    }
  }

  private void closePeers() {
    for (int i = peers.size() - 1; i >= 0; i--) {
      try {
        peers.get(i).close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing TCK peer " + peers.get(i).nodeId() + " failed", e);
      }
    }
    peers.clear();
  }

  private static long alive(RingstoreNode node) {
    return node.membership().view().members().values().stream().filter(Member::alive).count();
  }

  private static RingstoreNode peer(String id, int port, int seedPort) {
    Properties p = new Properties();
    p.setProperty("ringstore.node.id", id);
    p.setProperty("ringstore.cluster.port", Integer.toString(port));
    p.setProperty("ringstore.cluster.seeds", "127.0.0.1:" + seedPort);
    ClusterManagerSettings settings = ClusterManagerSettings.from(p);
    NodeOptions options = new NodeOptions(id, Env.system(), NodeOptions.DEFAULT_VNODES, 1, ClusterPeers.class.getClassLoader());
    return RingstoreNode.clustered(options, new RingstoreClusterManager(settings), new HardenedEventBus(EventBusSettings.defaults()),
        settings.joinTimeout().plus(settings.requestTimeout()));
  }

  private static Path writeConfiguration(int seedPort) {
    String name = System.getProperty(CONFIG_FILE_PROPERTY);
    if (name == null || name.isBlank()) {
      throw new IllegalStateException("system property " + CONFIG_FILE_PROPERTY + " is not set; the build names where the "
          + "TCK node's configuration file goes");
    }
    Path file = Path.of(name).toAbsolutePath();
    String id = System.getProperty(NODE_ID_PROPERTY, "").trim();
    String yaml = """
        # written by %s for the TCK run on a 3-node cluster
        node:
        %s  cluster:
            port: 0
            seeds: [127.0.0.1:%d]
        defaults:
          replication: {n: 3, w: 2, r: 2}
        caches: {}
        """.formatted(ClusterPeers.class.getName(), id.isEmpty() ? "" : "  id: " + id + "\n", seedPort);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the TCK node's configuration file " + file, e);
    }
    return file;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
