package io.ringstore.cluster.replication;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.node.ReplicaEndpoint;
import io.ringstore.cluster.node.ReplicaHost;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.storage.memory.MemoryStorageEngineFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Several nodes of one keyspace in this thread on fake time: each a real {@link Coordinator} over
 * a memory engine, answering through a real {@link ReplicaEndpoint}, linked by a transport that
 * delivers each request and reply {@value #LINK_MILLIS} ms later (on the fake time) and can cut a
 * node off. The rings every node sees (the current one and, during a membership change, the other)
 * and which nodes are alive are the test's to set; {@link #settle()} runs the fake time until
 * nothing is in flight.
 */
final class LocalNodes {
  static final long LINK_MILLIS = 1;

  final FakeTime time = new FakeTime();
  final Env env = Env.of(time);
  final Map<String, Coordinator> nodes = new LinkedHashMap<>();
  final Set<String> down = ConcurrentHashMap.newKeySet();
  final Set<String> cut = ConcurrentHashMap.newKeySet();
  volatile RingSnapshot ring;
  volatile RingSnapshot otherRing;

  LocalNodes(KeyspaceSettings settings, String... ids) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String id : ids) {
      weights.put(id, 1);
    }
    ring = RingSnapshot.of(weights, 16);
    otherRing = ring;
    Map<String, ReplicaEndpoint> endpoints = new ConcurrentHashMap<>();
    for (String id : ids) {
      ClusterView view = new ClusterView() {
        @Override
        public String self() {
          return id;
        }

        @Override
        public RingSnapshot ring() {
          return ring;
        }

        @Override
        public RingSnapshot otherRing() {
          return otherRing;
        }

        @Override
        public boolean isAlive(String nodeId) {
          return nodeId.equals(id) || !down.contains(nodeId);
        }
      };
      ReplicaTransport transport = (target, request, timeoutMillis) -> send(endpoints, id, target, request, timeoutMillis);
      Coordinator coordinator = new Coordinator(settings, new Replica(new MemoryStorageEngineFactory().open(new EngineSettings(
          settings.name(), EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED, settings.evictionPolicy(), env, RemovalListener.NONE,
          Map.of()))), view, transport, new HybridLogicalClock(time), env);
      nodes.put(id, coordinator);
      endpoints.put(id, new ReplicaEndpoint(new ReplicaHost() {
        @Override
        public String nodeId() {
          return id;
        }

        @Override
        public @Nullable Coordinator keyspace(String name) {
          return name.equals(settings.name()) ? coordinator : null;
        }

        @Override
        public void openReplica(KeyspaceSettings s) {}

        @Override
        public void dropReplica(String name) {}
      }));
    }
  }

  private CompletionStage<ReplicaReply> send(Map<String, ReplicaEndpoint> endpoints, String from, String to, ReplicaRequest request,
      long timeoutMillis) {
    CompletableFuture<ReplicaReply> reply = new CompletableFuture<>();
    if (cut.contains(to) || cut.contains(from)) {
      time.schedule(() -> reply.completeExceptionally(new ReplicaUnreachableException(to, "node " + to + " did not answer within "
          + timeoutMillis + " ms")), Duration.ofMillis(timeoutMillis));
      return reply;
    }
    time.schedule(() -> endpoints.get(to).handle(request).whenComplete((r, e) -> time.schedule(() -> {
      if (e != null) {
        reply.completeExceptionally(e);
      } else {
        reply.complete(r);
      }
    }, Duration.ofMillis(LINK_MILLIS))), Duration.ofMillis(LINK_MILLIS));
    return reply;
  }

  Coordinator node(String id) {
    return nodes.get(id);
  }

  /**
   * Runs the fake time on for twice the longest timeout, so that every request and reply in flight
   * is delivered and every timeout fires (engines keep periodic tasks of their own, so the task
   * queue is never empty).
   */
  void settle() {
    for (int i = 0; i < 200; i++) {
      time.advance(Duration.ofMillis(10));
    }
  }

  /** Completes {@code stage} by running the fake time. */
  <T> T await(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    for (int i = 0; i < 10_000 && !future.isDone(); i++) {
      time.advance(Duration.ofMillis(1));
    }
    return future.join();
  }
}
