package io.ringstore.cluster.replication;

import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The replication of one new version from the key's primary: the primary has written it to its
 * own replica (one acknowledgement); the round sends it to the other live replicas at once and
 * completes with the number of acknowledgements once W are in, or when every replica has answered
 * or failed. The caller decides whether that count meets W. A replica that could not be reached
 * or did not answer in time gets the version as a hint ({@link Coordinator#hints()}): hinted
 * handoff brings it later; the hint is not an acknowledgement.
 *
 * <p>Thread-safety: thread-safe; answers arrive on transport threads.
 */
final class WriteRound {
  final CompletableFuture<Integer> result = new CompletableFuture<>();
  private final int quorum;
  private final int total;

  // guarded by this
  private int acknowledged = 1; // the primary's own write
  private int settled = 1;
  private final List<String> failures = new ArrayList<>(2);

  private WriteRound(int quorum, int total) {
    this.quorum = quorum;
    this.total = total;
  }

  /** Sends {@code record} to {@code others} (the live replicas but the primary). */
  static WriteRound start(Coordinator coordinator, Bytes key, StoredRecord record, List<String> others, int quorum) {
    WriteRound round = new WriteRound(quorum, others.size() + 1);
    if (others.isEmpty() || quorum <= 1) {
      round.result.complete(1);
    }
    if (others.isEmpty()) {
      return round;
    }
    ReplicaRequest.Merge merge = new ReplicaRequest.Merge(coordinator.settings().name(), key, record);
    long timeout = coordinator.settings().writeTimeout().toMillis();
    for (String node : others) {
      coordinator.request(node, merge, timeout).whenComplete((reply, failure) -> {
        if (failure != null) {
          coordinator.hints().add(node, key, record);
          round.settle(false, Coordinator.describe(node, failure));
        } else if (reply instanceof ReplicaReply.Ack) {
          round.settle(true, null);
        } else {
          if (reply instanceof ReplicaReply.Refused refused && refused.reason() == ReplicaReply.Refused.Reason.UNAVAILABLE) {
            coordinator.hints().add(node, key, record); // closing or not yet serving: it may take the version later
          }
          round.settle(false, node + ": " + Coordinator.describe(reply));
        }
      });
    }
    return round;
  }

  private void settle(boolean ack, String failure) {
    int count;
    boolean done;
    synchronized (this) {
      settled++;
      if (ack) {
        acknowledged++;
      } else {
        failures.add(failure);
      }
      count = acknowledged;
      done = acknowledged == quorum || settled == total;
    }
    if (done) {
      result.complete(count);
    }
  }

  /** Why replicas failed, so far. */
  synchronized String failures() {
    return failures.isEmpty() ? "no failures yet; the others did not answer in time" : String.join("; ", failures);
  }
}
