package io.ringstore.cluster.node;

import io.ringstore.cluster.replication.Coordinator;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ReplicaEndpoint} answers for: a node's open keyspaces, by name. A
 * {@link RingstoreNode} is one; a test that runs many nodes in one thread (a deterministic
 * simulation) gives its own, so that the endpoint it runs is the one the cluster runs.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface ReplicaHost {

  /** This node's id. */
  String nodeId();

  /** The open keyspace {@code name}, or {@code null}. */
  @Nullable Coordinator keyspace(String name);

  /** Opens keyspace {@code settings.name()} as a replica for the other nodes, unless it is open. */
  void openReplica(KeyspaceSettings settings);

  /** Drops this node's replica of keyspace {@code name} (another node destroyed the cache). */
  void dropReplica(String name);
}
