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
 * own replica (one acknowledgement, and one more for a coordinating node that writes it itself);
 * the round sends it to the other live replicas at once and completes with the nodes that
 * acknowledged once they meet the write quorum ({@link Placement#meets}: W of the key's replicas,
 * and W of the other ring's too while a membership change moves the key), or when every replica
 * has answered or failed. The caller decides whether the nodes meet W. A replica that could not be
 * reached or did not answer in time gets the version as a hint ({@link Coordinator#hints()}):
 * hinted handoff brings it later; the hint is not an acknowledgement.
 *
 * <p>Thread-safety: thread-safe; answers arrive on transport threads.
 */
final class WriteRound {
  final CompletableFuture<List<String>> result = new CompletableFuture<>();
  private final Placement placement;
  private final int writeQuorum;
  private final int total;

  // guarded by this
  private final List<String> acknowledged;
  private int settled;
  private final List<String> failures = new ArrayList<>(2);

  private WriteRound(Placement placement, int writeQuorum, List<String> acknowledged, int total) {
    this.placement = placement;
    this.writeQuorum = writeQuorum;
    this.acknowledged = acknowledged;
    this.total = total;
  }

  /**
   * Sends {@code record} to {@code others} (the live replicas that have not written it yet);
   * {@code written} are the nodes that have (the primary, and the coordinating node if it writes
   * it itself).
   */
  static WriteRound start(Coordinator coordinator, Bytes key, StoredRecord record, List<String> written, List<String> others,
      Placement placement, int writeQuorum) {
    WriteRound round = new WriteRound(placement, writeQuorum, new ArrayList<>(written), others.size());
    if (others.isEmpty() || placement.meets(writeQuorum, written)) {
      round.result.complete(List.copyOf(written));
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
          round.settle(node, false, Coordinator.describe(node, failure));
        } else if (reply instanceof ReplicaReply.Ack) {
          round.settle(node, true, null);
        } else {
          if (reply instanceof ReplicaReply.Refused refused && refused.reason() == ReplicaReply.Refused.Reason.UNAVAILABLE) {
            coordinator.hints().add(node, key, record); // closing or not yet serving: it may take the version later
          }
          round.settle(node, false, node + ": " + Coordinator.describe(reply));
        }
      });
    }
    return round;
  }

  private void settle(String node, boolean ack, String failure) {
    List<String> outcome;
    synchronized (this) {
      settled++;
      if (ack) {
        acknowledged.add(node);
      } else {
        failures.add(failure);
      }
      if (result.isDone() || !(settled == total || (ack && placement.meets(writeQuorum, acknowledged)))) {
        return;
      }
      outcome = List.copyOf(acknowledged);
    }
    result.complete(outcome);
  }

  /** Why replicas failed, so far. */
  synchronized String failures() {
    return failures.isEmpty() ? "no failures yet; the others did not answer in time" : String.join("; ", failures);
  }
}
