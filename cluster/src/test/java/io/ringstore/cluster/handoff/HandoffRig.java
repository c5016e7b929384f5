package io.ringstore.cluster.handoff;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.node.ReplicaEndpoint;
import io.ringstore.cluster.node.ReplicaHost;
import io.ringstore.cluster.replication.ClusterView;
import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.replication.HybridLogicalClock;
import io.ringstore.cluster.replication.Replica;
import io.ringstore.cluster.replication.ReplicaTransport;
import io.ringstore.cluster.replication.ReplicaUnreachableException;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.storage.memory.MemoryStorageEngineFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Two nodes of one keyspace in one thread on fake time, for tests of hinted handoff: node "a"
 * keeps hints and replays them to node "b", a real replica behind a real {@link ReplicaEndpoint},
 * over a link that answers each request {@value #LINK_MILLIS} ms later (on the fake time) and can
 * be cut. Which nodes "a" judges alive is the test's to say.
 */
final class HandoffRig {
  static final long LINK_MILLIS = 10;

  final FakeTime time = new FakeTime();
  final Env env = Env.of(time);
  final HandoffSettings settings;
  final HintBudget budget;
  final KeyspaceSettings keyspace = new KeyspaceSettings("ks", "memory", Map.of(), EngineSettings.UNBOUNDED,
      EngineSettings.UNBOUNDED, EvictionPolicy.LRU, 2, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 16, 32,
      RemovalListener.NONE);
  final Coordinator b;
  final KeyspaceHints hints;
  final Coordinator a;
  final HintReplay replay;
  final HybridLogicalClock hlc = new HybridLogicalClock(time);

  volatile boolean bAlive;
  volatile boolean bDropped; // b no longer has the keyspace (the cache was destroyed there)
  int opens;
  volatile boolean linkCut;
  int inFlight;
  int maxInFlight;
  int requests;

  HandoffRig(HandoffSettings settings) {
    this.settings = settings;
    this.budget = new HintBudget(settings.maxBytes());
    RingSnapshot ring = RingSnapshot.of(Map.of("a", 1, "b", 1), 8);
    b = new Coordinator(keyspace, new Replica(memory("b", RemovalListener.NONE)), view("b", ring), null, hlc, env);
    ReplicaEndpoint endpoint = new ReplicaEndpoint(new ReplicaHost() {
      @Override
      public String nodeId() {
        return "b";
      }

      @Override
      public @Nullable Coordinator keyspace(String name) {
        return name.equals("ks") && !bDropped ? b : null;
      }

      @Override
      public void openReplica(KeyspaceSettings settings) {}

      @Override
      public void dropReplica(String name) {}
    });
    ReplicaTransport link = new ReplicaTransport() {
      @Override
      public CompletionStage<ReplicaReply> send(String nodeId, ReplicaRequest request, long timeoutMillis) {
        requests++;
        if (request instanceof ReplicaRequest.Open) {
          opens++;
        }
        if (linkCut || !nodeId.equals("b")) {
          return CompletableFuture.failedFuture(new ReplicaUnreachableException(nodeId, "node " + nodeId + " is unreachable (link cut)"));
        }
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        CompletableFuture<ReplicaReply> reply = new CompletableFuture<>();
        time.schedule(() -> {
          inFlight--;
          endpoint.handle(request).whenComplete((r, e) -> {
            if (e != null) {
              reply.completeExceptionally(e);
            } else {
              reply.complete(r);
            }
          });
        }, Duration.ofMillis(LINK_MILLIS));
        return reply;
      }
    };
    hints = KeyspaceHints.open("ks", listener -> memory("a (hints)", listener), budget, settings, time);
    a = new Coordinator(keyspace, new Replica(memory("a", RemovalListener.NONE)), view("a", ring), link, hlc, env, hints);
    replay = new HintReplay("a", settings, view("a", ring), env, () -> List.of(new HintReplay.Source(a, hints)));
  }

  private ClusterView view(String self, RingSnapshot ring) {
    return new ClusterView() {
      @Override
      public String self() {
        return self;
      }

      @Override
      public RingSnapshot ring() {
        return ring;
      }

      @Override
      public boolean isAlive(String nodeId) {
        return nodeId.equals(self) || (nodeId.equals("b") && bAlive);
      }
    };
  }

  StorageEngine memory(String name, RemovalListener listener) {
    return new MemoryStorageEngineFactory().open(new EngineSettings(name, EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED,
        EvictionPolicy.LRU, env, listener, Map.of()));
  }

  /** A version of {@code key} made by "a" now, holding {@code value} ({@code null}: a delete). */
  StoredRecord version(@Nullable StoredRecord current, @Nullable String value) {
    return StoredRecord.write(current, current == null ? VectorClock.EMPTY : current.clock(), "a", hlc.now(),
        value == null ? null : Bytes.utf8(value), StoredRecord.NEVER, time.millis());
  }

  static Bytes key(int i) {
    return Bytes.utf8("key-" + i);
  }

  void advance(Duration step) {
    time.advance(step);
  }
}
