package io.ringstore.cluster.node;

import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.replication.HybridLogicalClock;
import io.ringstore.cluster.replication.Replica;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StorageEngineFactory;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One node of a Ringstore cluster: its ring view, its replicas (one storage engine per keyspace)
 * and the coordinators that serve its keyspaces. An embedded node is a cluster of one.
 *
 * <p>All state hangs off the node, none is static, so one JVM can run several nodes.
 * <p>Thread-safety: thread-safe.
 */
public final class RingstoreNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RingstoreNode.class.getName());

  // constant after construction
  private final NodeOptions options;
  private final HybridLogicalClock hlc;
  private final RingSnapshot ring;

  private final Map<String, Coordinator> keyspaces = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private RingstoreNode(NodeOptions options) {
    this.options = options;
    this.hlc = new HybridLogicalClock(options.env().clock());
    this.ring = RingSnapshot.of(Map.of(options.nodeId(), options.weight()), options.vnodes());
  }

  /** Starts a single node that is a cluster of its own. */
  public static RingstoreNode embedded(NodeOptions options) {
    RingstoreNode node = new RingstoreNode(options);
    LOG.log(Level.DEBUG, () -> "Ringstore node " + options.nodeId() + " started (embedded, single member)");
    return node;
  }

  /** This node's id. */
  public String nodeId() {
    return options.nodeId();
  }

  /** The options the node started with. */
  public NodeOptions options() {
    return options;
  }

  /** The ring as this node sees it now. */
  public RingSnapshot ring() {
    return ring;
  }

  /**
   * Opens the keyspace {@code settings.name()} on this node, with a fresh engine.
   *
   * @throws IllegalStateException if a keyspace of that name is open or the node is closed
   * @throws IllegalArgumentException if the engine is unknown or rejects the settings
   */
  public Coordinator openKeyspace(KeyspaceSettings settings) {
    checkOpen();
    // N above the member count is allowed (Dynamo: preference lists shrink); the coordinator
    // refuses operations whose quorum the shrunken list cannot meet.
    StorageEngineFactory factory = StorageEngineFactory.named(settings.storageEngine(), options.classLoader());
    EngineSettings engineSettings = new EngineSettings(settings.name(), settings.maxEntries(), settings.maxBytes(),
        settings.evictionPolicy(), options.env(), settings.removalListener(), settings.engineOptions());
    return keyspaces.compute(settings.name(), (name, existing) -> {
      if (existing != null) {
        throw new IllegalStateException("keyspace '" + name + "' is already open on node " + nodeId());
      }
      StorageEngine engine = factory.open(engineSettings);
      return new Coordinator(nodeId(), settings, new Replica(engine), () -> ring, hlc);
    });
  }

  /** The open keyspace {@code name}, or {@code null}. */
  public @org.jspecify.annotations.Nullable Coordinator keyspace(String name) {
    return keyspaces.get(name);
  }

  /**
   * Closes keyspace {@code name} on this node and keeps its records: a persistent engine finds them
   * again when the keyspace is next opened on the same data (an in-memory engine has nowhere to
   * keep them). What {@code Cache.close()} and a closing cache manager do.
   */
  public void closeKeyspace(String name) {
    Coordinator coordinator = keyspaces.remove(name);
    if (coordinator != null) {
      coordinator.closeEngine();
    }
  }

  /** Closes keyspace {@code name} and drops its records on this node: what {@code destroyCache} does. */
  public void dropKeyspace(String name) {
    Coordinator coordinator = keyspaces.remove(name);
    if (coordinator != null) {
      coordinator.clear();
      coordinator.closeEngine();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("node " + nodeId() + " is closed");
    }
  }

  /** Closes every keyspace. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (String name : keyspaces.keySet()) {
      Coordinator coordinator = keyspaces.remove(name);
      if (coordinator != null) {
        coordinator.closeEngine();
      }
    }
  }
}
