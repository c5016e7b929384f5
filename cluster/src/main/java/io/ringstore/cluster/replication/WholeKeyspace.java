package io.ringstore.cluster.replication;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.QuorumNotReachedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A keyspace's operations on all its records at once, on every live node rather than on a key's
 * replicas ({@link Coordinator#scan}, {@link Coordinator#clear}, {@link Coordinator#clearLocal},
 * {@link Coordinator#dropElsewhere}): this node's replica by a direct call, each other live member
 * of the ring by one request over the transport.
 *
 * <p>Invariants: "every live node" is the ring's members that the cluster view holds alive when
 * the operation starts, this node apart; a node without a transport has no others. A clear is
 * stamped with one hybrid-logical-clock time, the same on every node. A request to every other
 * node waits at most the keyspace's write timeout, and a node that does not confirm is named in
 * the {@link QuorumNotReachedException}.
 *
 * <p>Thread-safety: thread-safe (it holds only what is constant after construction); each
 * operation runs on, and waits on, its calling thread.
 */
final class WholeKeyspace {
  // constant after construction
  private final Coordinator coordinator;
  private final String nodeId;
  private final KeyspaceSettings settings;
  private final Replica local;
  private final ClusterView cluster;
  private final @Nullable ReplicaTransport transport;
  private final HybridLogicalClock hlc;

  WholeKeyspace(Coordinator coordinator, String nodeId, KeyspaceSettings settings, Replica local, ClusterView cluster,
      @Nullable ReplicaTransport transport, HybridLogicalClock hlc) {
    this.coordinator = coordinator;
    this.nodeId = nodeId;
    this.settings = settings;
    this.local = local;
    this.cluster = cluster;
    this.transport = transport;
    this.hlc = hlc;
  }

  /** {@link Coordinator#scan}: a {@link ClusterScan} over the other live nodes, or this replica's own iterator. */
  Iterator<EngineEntry> scan() {
    List<String> others = otherLiveMembers();
    return others.isEmpty() ? local.engine().iterator() : new ClusterScan(coordinator, others);
  }

  /** {@link Coordinator#clear}: this replica first, then every other live node, all at one HLC time. */
  void clear() {
    long timestamp = hlc.now();
    local.clear(timestamp);
    everyOtherNode(new ReplicaRequest.Clear(settings.name(), timestamp), "clear");
  }

  /** {@link Coordinator#clearLocal()}: this replica only, at this node's HLC time now. */
  void clearLocal() {
    local.clear(hlc.now());
  }

  /** {@link Coordinator#clearLocal(long)}: this node's part of another node's clear. */
  void clearLocal(long timestamp) {
    hlc.observe(timestamp); // versions this node makes from now on are after the clear
    local.clear(timestamp);
  }

  /** {@link Coordinator#dropElsewhere}: a drop request to every other live node. */
  void dropElsewhere() {
    everyOtherNode(new ReplicaRequest.Drop(settings.name()), "destroy");
  }

  /**
   * Sends {@code request} to every other live node at once and waits at most the write timeout
   * for them all; an acknowledgement or an unknown keyspace counts as done.
   *
   * @throws QuorumNotReachedException naming each node that failed or did not answer, and why
   */
  private void everyOtherNode(ReplicaRequest request, String what) {
    List<String> others = otherLiveMembers();
    if (others.isEmpty()) {
      return;
    }
    long timeout = settings.writeTimeout().toMillis();
    List<CompletableFuture<String>> answers = new ArrayList<>(others.size());
    for (String node : others) {
      answers.add(coordinator.request(node, request, timeout).handle((reply, failure) -> failure != null
          ? Coordinator.describe(node, failure)
          : reply instanceof ReplicaReply.Ack || reply instanceof ReplicaReply.UnknownKeyspace ? ""
              : node + ": " + Coordinator.describe(reply))
          .toCompletableFuture());
    }
    coordinator.await(CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)), timeout, "a " + what);
    List<String> failures = new ArrayList<>();
    for (CompletableFuture<String> answer : answers) {
      String failure = answer.join();
      if (!failure.isEmpty()) {
        failures.add(failure);
      }
    }
    if (!failures.isEmpty()) {
      throw new QuorumNotReachedException(String.format("cache '%s': %s reached %d of %d nodes (%s)", settings.name(), what,
          others.size() + 1 - failures.size(), others.size() + 1, String.join("; ", failures)), others.size() + 1,
          others.size() + 1 - failures.size());
    }
  }

  /**
   * The ring's other members that are alive now, with those of the ring a membership change moves
   * to (a joining node holds records too); none without a transport.
   */
  private List<String> otherLiveMembers() {
    if (transport == null) {
      return List.of();
    }
    List<String> others = new ArrayList<>();
    List<String> members = new ArrayList<>(cluster.ring().members());
    for (String member : cluster.otherRing().members()) {
      if (!members.contains(member)) {
        members.add(member);
      }
    }
    for (String member : members) {
      if (!member.equals(nodeId) && cluster.isAlive(member)) {
        others.add(member);
      }
    }
    return others;
  }
}
