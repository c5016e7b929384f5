package io.ringstore.cluster.node;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.env.Env;

/**
 * How a node is started.
 *
 * <p>Thread-safety: immutable.
 *
 * @param nodeId this node's id, unique in its cluster: the actor of the versions it coordinates
 * @param env time and scheduling
 * @param vnodes tokens per unit of capacity weight
 * @param weight this node's capacity weight
 * @param classLoader where storage engine factories are looked up
 */
public record NodeOptions(String nodeId, Env env, int vnodes, int weight, ClassLoader classLoader) {

  /** Default virtual nodes per unit of weight. */
  public static final int DEFAULT_VNODES = 256;

  public NodeOptions {
    requireNonNull(nodeId, "nodeId");
    requireNonNull(env, "env");
    requireNonNull(classLoader, "classLoader");
    if (nodeId.isEmpty() || nodeId.length() > 255) {
      throw new IllegalArgumentException("nodeId '" + nodeId + "' has " + nodeId.length() + " characters; need 1 to 255");
    }
    if (vnodes < 1 || vnodes > 4096) {
      throw new IllegalArgumentException("vnodes = " + vnodes + " is out of range; need 1 <= vnodes <= 4096");
    }
    if (weight < 1 || weight > 64) {
      throw new IllegalArgumentException("weight = " + weight + " is out of range; need 1 <= weight <= 64");
    }
  }

  /** An embedded node with a generated id, the system environment and default ring settings. */
  public static NodeOptions embedded(ClassLoader classLoader) {
    return new NodeOptions("node-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffffffL),
        Env.system(), DEFAULT_VNODES, 1, classLoader);
  }

  /** These options with another environment. */
  public NodeOptions withEnv(Env newEnv) {
    return new NodeOptions(nodeId, newEnv, vnodes, weight, classLoader);
  }

  /** These options with another node id. */
  public NodeOptions withNodeId(String newNodeId) {
    return new NodeOptions(newNodeId, env, vnodes, weight, classLoader);
  }
}
