package io.ringstore.cluster.replication;

import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.QuorumNotReachedException;
import io.ringstore.spi.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One quorum read of one key: asks R of the key's live replicas (this node first if it is one,
 * then in preference order), and one more for each that fails, until R have answered or none is
 * left to ask; completes with the merge (by vector clock) of the R answers. Once every asked
 * replica has answered or failed, those that answered with less than the merge of all answers get
 * the merge (read repair, in the background: the reader does not wait for it).
 *
 * <p>Asking R rather than all N replicas (as Cassandra does, unlike Dynamo's paper) halves the
 * messages of a quorum read on N = 3; a replica that was not asked is repaired by a later read,
 * by the write that next reaches it, or by anti-entropy once it exists.
 *
 * <p>Thread-safety: thread-safe; answers arrive on transport threads and are counted under the
 * round's lock.
 */
final class ReadRound {
  private final Coordinator coordinator;
  private final Bytes key;
  private final List<String> replicas;
  private final int quorum;
  private final String quorumName;
  final CompletableFuture<@Nullable StoredRecord> result = new CompletableFuture<>();
  private boolean withExpired;
  private ReplicaRequest.@Nullable Read read;

  // guarded by this
  private final @Nullable StoredRecord[] answers;
  private final boolean[] answered;
  private int asked;
  private int answerCount;
  private int settled;
  private @Nullable StoredRecord merged;
  private @Nullable List<String> failures;

  /** @param replicas the live replicas, this node first if it is one */
  ReadRound(Coordinator coordinator, Bytes key, List<String> replicas, int quorum, String quorumName) {
    this.coordinator = coordinator;
    this.key = key;
    this.replicas = replicas;
    this.quorum = quorum;
    this.quorumName = quorumName;
    this.answers = new StoredRecord[replicas.size()];
    this.answered = new boolean[replicas.size()];
  }

  /** Sends the first R reads; the local replica answers on this thread. */
  ReadRound start(boolean withExpired) {
    this.withExpired = withExpired;
    int first;
    synchronized (this) {
      first = Math.min(quorum, replicas.size());
      asked = first;
    }
    for (int i = 0; i < first; i++) {
      ask(i);
    }
    return this;
  }

  private void ask(int index) {
    String node = replicas.get(index);
    if (node.equals(coordinator.nodeId())) {
      StoredRecord record;
      try {
        record = coordinator.localRead(key, withExpired);
      } catch (RuntimeException e) {
        fail(index, node + ": " + e.getMessage());
        return;
      }
      answer(index, record);
      return;
    }
    ReplicaRequest.Read request = read;
    if (request == null) {
      request = new ReplicaRequest.Read(coordinator.settings().name(), key, withExpired);
      read = request;
    }
    coordinator.request(node, request, coordinator.settings().readTimeout().toMillis()).whenComplete((reply, failure) -> {
      if (failure != null) {
        fail(index, Coordinator.describe(node, failure));
      } else if (reply instanceof ReplicaReply.Found found) {
        answer(index, found.record());
      } else if (reply instanceof ReplicaReply.UnknownKeyspace) {
        answer(index, null); // opened there by request(): it holds nothing yet
      } else {
        fail(index, node + ": " + Coordinator.describe(reply));
      }
    });
  }

  private void answer(int index, @Nullable StoredRecord record) {
    StoredRecord value;
    boolean complete;
    boolean last;
    synchronized (this) {
      answers[index] = record;
      answered[index] = true;
      answerCount++;
      settled++;
      if (record != null) {
        merged = merged == null ? record : StoredRecord.sync(merged, record);
      }
      value = merged;
      complete = answerCount == quorum;
      last = settled == asked;
    }
    if (complete) {
      result.complete(value);
    }
    if (last) {
      finish();
    }
  }

  private void fail(int index, String why) {
    int next = -1;
    boolean last;
    synchronized (this) {
      if (failures == null) {
        failures = new ArrayList<>(replicas.size());
      }
      failures.add(why);
      settled++;
      if (answerCount < quorum && asked < replicas.size()) {
        next = asked++;
      }
      last = next < 0 && settled == asked;
    }
    if (next >= 0) {
      ask(next);
    } else if (last) {
      finish();
    }
  }

  /** Every asked replica has answered or failed: fail the read if R did not answer, then repair. */
  private void finish() {
    StoredRecord all;
    synchronized (this) {
      all = merged;
      if (answerCount < quorum) {
        result.completeExceptionally(new QuorumNotReachedException(String.format(
            "cache '%s': %s = %d not reached: %d of %d live replicas %s answered (%s)", coordinator.settings().name(),
            quorumName, quorum, answerCount, replicas.size(), replicas, String.join("; ", failures)), quorum, answerCount));
      }
    }
    if (all == null || all.isExpiredAt(coordinator.wallMillis())) {
      return;
    }
    for (int i = 0; i < replicas.size(); i++) {
      StoredRecord held;
      synchronized (this) {
        if (!answered[i]) {
          continue;
        }
        held = answers[i];
      }
      if (held == null || !held.clock().equals(all.clock())) {
        coordinator.repair(replicas.get(i), key, all);
      }
    }
  }
}
