package io.ringstore.cluster.node;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.handoff.HandoffSettings;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.repair.RepairSettings;
import io.ringstore.spi.env.Env;
import java.lang.ref.WeakReference;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a node is started: its id, environment, ring settings and the class loader its storage
 * engine factories are looked up in.
 *
 * <p>The class loader is held weakly: a node embedded in a deployed application (a WAR in an
 * application server) must not keep the application's class loader alive once the application is
 * gone, whether or not it closed its caches. Once the loader is collected, look-ups use the loader
 * of Ringstore's own classes.
 *
 * <p>Invariants: the id is a valid {@link NodeId} (1 to 128 UTF-8 bytes, no control characters), {@code 1 <= vnodes <= 4096},
 * {@code 1 <= weight <= 64}. Thread-safety: immutable.
 */
public final class NodeOptions {

  /** The greatest capacity weight a node may have. */
  public static final int MAX_WEIGHT = 64;

  /** Default virtual nodes per unit of weight. */
  public static final int DEFAULT_VNODES = 256;

  private final String nodeId;
  private final Env env;
  private final int vnodes;
  private final int weight;
  private final WeakReference<ClassLoader> classLoader;
  private final HandoffSettings handoff;
  private final boolean bootstrap;
  private final RepairSettings repair;
  private final boolean periodicRepair;

  /**
   * @param nodeId this node's id, unique in its cluster: the actor of the versions it coordinates
   * @param env time and scheduling
   * @param vnodes tokens per unit of capacity weight
   * @param weight this node's capacity weight
   * @param classLoader where storage engine factories are looked up (held weakly)
   */
  public NodeOptions(String nodeId, Env env, int vnodes, int weight, ClassLoader classLoader) {
    this(nodeId, env, vnodes, weight, new WeakReference<>(requireNonNull(classLoader, "classLoader")),
        HandoffSettings.defaults(), false, RepairSettings.defaults(), true);
  }

  private NodeOptions(String nodeId, Env env, int vnodes, int weight, WeakReference<ClassLoader> classLoader,
      HandoffSettings handoff, boolean bootstrap, RepairSettings repair, boolean periodicRepair) {
    requireNonNull(nodeId, "nodeId");
    requireNonNull(handoff, "handoff");
    requireNonNull(env, "env");
    NodeId.of(nodeId); // the id gossip carries: 1 to NodeId.MAX_UTF8_BYTES, no control characters
    if (vnodes < 1 || vnodes > 4096) {
      throw new IllegalArgumentException("vnodes = " + vnodes + " is out of range; need 1 <= vnodes <= 4096");
    }
    if (weight < 1 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException("weight = " + weight + " is out of range; need 1 <= weight <= " + MAX_WEIGHT);
    }
    this.nodeId = nodeId;
    this.env = env;
    this.vnodes = vnodes;
    this.weight = weight;
    this.classLoader = classLoader;
    this.handoff = handoff;
    this.bootstrap = bootstrap;
    this.repair = requireNonNull(repair, "repair");
    this.periodicRepair = periodicRepair;
  }

  /** An embedded node with a generated id, the system environment and default ring settings. */
  public static NodeOptions embedded(ClassLoader classLoader) {
    return new NodeOptions("node-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL),
        Env.system(), DEFAULT_VNODES, 1, classLoader);
  }

  /** These options with another environment. */
  public NodeOptions withEnv(Env newEnv) {
    return new NodeOptions(nodeId, newEnv, vnodes, weight, classLoader, handoff, bootstrap, repair, periodicRepair);
  }

  /** These options with another node id. */
  public NodeOptions withNodeId(String newNodeId) {
    return new NodeOptions(newNodeId, env, vnodes, weight, classLoader, handoff, bootstrap, repair, periodicRepair);
  }

  /** These options with another capacity weight. */
  public NodeOptions withWeight(int newWeight) {
    return new NodeOptions(nodeId, env, vnodes, newWeight, classLoader, handoff, bootstrap, repair, periodicRepair);
  }

  /** These options with other hinted-handoff settings ({@code ringstore.handoff.*}). */
  public NodeOptions withHandoff(HandoffSettings newHandoff) {
    return new NodeOptions(nodeId, env, vnodes, weight, classLoader, newHandoff, bootstrap, repair, periodicRepair);
  }

  /**
   * These options with {@code ringstore.node.bootstrap}: {@code true} for a node added to a running
   * cluster that holds data, which joins JOINING, receives its share of every cache's records and
   * only then serves (docs/rebalancing.md); {@code false} (the default) for the first nodes of a
   * cluster and for a node that restarts, which join NORMAL and are brought up to date by hinted
   * handoff, read repair and anti-entropy.
   */
  public NodeOptions withBootstrap(boolean newBootstrap) {
    return new NodeOptions(nodeId, env, vnodes, weight, classLoader, handoff, newBootstrap, repair, periodicRepair);
  }

  /**
   * These options with other anti-entropy settings ({@code ringstore.repair.*}); with
   * {@code periodic} false a node repairs only on demand.
   */
  public NodeOptions withRepair(RepairSettings newRepair, boolean periodic) {
    return new NodeOptions(nodeId, env, vnodes, weight, classLoader, handoff, bootstrap, newRepair, periodic);
  }

  /** This node's id. */
  public String nodeId() {
    return nodeId;
  }

  /** Time and scheduling. */
  public Env env() {
    return env;
  }

  /** Tokens per unit of capacity weight. */
  public int vnodes() {
    return vnodes;
  }

  /** How this node runs anti-entropy. */
  public RepairSettings repair() {
    return repair;
  }

  /** Whether this node runs anti-entropy rounds every {@link RepairSettings#interval()}, besides those asked for. */
  public boolean periodicRepair() {
    return periodicRepair;
  }

  /** Whether this node joins JOINING and receives its share of the data before it serves. */
  public boolean bootstrap() {
    return bootstrap;
  }

  /** How this node keeps and hands off hints. */
  public HandoffSettings handoff() {
    return handoff;
  }

  /** This node's capacity weight. */
  public int weight() {
    return weight;
  }

  /** The loader engine factories are looked up in; Ringstore's own once the given one is collected. */
  public ClassLoader classLoader() {
    ClassLoader loader = classLoader.get();
    return loader != null ? loader : NodeOptions.class.getClassLoader();
  }

  @Override
  public String toString() {
    return "NodeOptions[nodeId=" + nodeId + ", vnodes=" + vnodes + ", weight=" + weight + "]";
  }
}
