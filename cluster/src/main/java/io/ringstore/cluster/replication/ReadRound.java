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
 * One quorum read of one key: asks every live replica of the key at once, completes with the
 * merge (by vector clock) of the first R answers, and once every replica has answered or failed,
 * repairs the ones that answered with less than the merge of all answers (read repair, in the
 * background: the reader does not wait for it).
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

  // guarded by this
  private final @Nullable StoredRecord[] answers;
  private final boolean[] answered;
  private int answerCount;
  private int settled;
  private @Nullable StoredRecord merged;
  private @Nullable List<String> failures;

  ReadRound(Coordinator coordinator, Bytes key, List<String> replicas, int quorum, String quorumName) {
    this.coordinator = coordinator;
    this.key = key;
    this.replicas = replicas;
    this.quorum = quorum;
    this.quorumName = quorumName;
    this.answers = new StoredRecord[replicas.size()];
    this.answered = new boolean[replicas.size()];
  }

  /** Sends the reads; the local replica answers on this thread. */
  ReadRound start(boolean withExpired) {
    String self = coordinator.nodeId();
    ReplicaRequest.Read read = null;
    for (int i = 0; i < replicas.size(); i++) {
      String node = replicas.get(i);
      if (node.equals(self)) {
        StoredRecord record;
        try {
          record = coordinator.localRead(key, withExpired);
        } catch (RuntimeException e) {
          fail(i, self + ": " + e.getMessage());
          continue;
        }
        answer(i, record);
      } else {
        if (read == null) {
          read = new ReplicaRequest.Read(coordinator.settings().name(), key, withExpired);
        }
        int index = i;
        coordinator.request(node, read, coordinator.settings().readTimeout().toMillis()).whenComplete((reply, failure) -> {
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
    }
    return this;
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
      last = settled == replicas.size();
    }
    if (complete) {
      result.complete(value);
    }
    if (last) {
      finish();
    }
  }

  private void fail(int index, String why) {
    boolean last;
    synchronized (this) {
      if (failures == null) {
        failures = new ArrayList<>(replicas.size());
      }
      failures.add(why);
      settled++;
      last = settled == replicas.size();
    }
    if (last) {
      finish();
    }
  }

  /** Every replica has answered or failed: fail the read if R did not answer, then repair. */
  private void finish() {
    StoredRecord all;
    synchronized (this) {
      all = merged;
      if (answerCount < quorum) {
        result.completeExceptionally(new QuorumNotReachedException(String.format(
            "cache '%s': %s = %d not reached: %d of %d replicas %s answered (%s)", coordinator.settings().name(),
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
