package io.ringstore.cluster.node;

import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.StorageEngine;
import java.util.ArrayList;
import io.ringstore.spi.Bytes;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A node's answers to the replica protocol: what it does with each {@link ReplicaRequest} another
 * node sends it. Never throws: every outcome, errors included, is a {@link ReplicaReply}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ReplicaEndpoint {
  /** The most records a scan page holds, whatever the request asks. */
  static final int MAX_PAGE_ENTRIES = 1024;

  private final ReplicaHost node;

  /** The endpoint of {@code node}'s keyspaces. */
  public ReplicaEndpoint(ReplicaHost node) {
    this.node = node;
  }

  /** Answers {@code request}. */
  public CompletionStage<ReplicaReply> handle(ReplicaRequest request) {
    try {
      if (request instanceof ReplicaRequest.Open open) {
        node.openReplica(open.settings());
        return ack();
      }
      Coordinator keyspace = node.keyspace(request.keyspace());
      if (keyspace == null) {
        if (request instanceof ReplicaRequest.Drop) {
          return ack();
        }
        return CompletableFuture.completedFuture(new ReplicaReply.UnknownKeyspace(request.keyspace()));
      }
      if (request instanceof ReplicaRequest.Read read) {
        return CompletableFuture.completedFuture(new ReplicaReply.Found(keyspace.localRead(read.key(), read.withExpired())));
      }
      if (request instanceof ReplicaRequest.Merge merge) {
        keyspace.replica().merge(merge.key(), merge.record());
        return ack();
      }
      if (request instanceof ReplicaRequest.Commit commit) {
        return keyspace.commit(commit);
      }
      if (request instanceof ReplicaRequest.Clear clear) {
        keyspace.clearLocal(clear.timestamp());
        return ack();
      }
      if (request instanceof ReplicaRequest.Drop) {
        node.dropReplica(request.keyspace());
        return ack();
      }
      return CompletableFuture.completedFuture(page(keyspace.replica().engine(), (ReplicaRequest.Scan) request));
    } catch (CapacityExceededException e) {
      return refused(ReplicaReply.Refused.Reason.CAPACITY, e.getMessage(), e.setting(), e.value(), e.limit());
    } catch (LimitExceededException e) {
      return refused(ReplicaReply.Refused.Reason.LIMIT, e.getMessage(), e.setting(), e.value(), e.limit());
    } catch (IllegalStateException e) {
      return refused(ReplicaReply.Refused.Reason.UNAVAILABLE, "node " + node.nodeId() + ": " + e.getMessage(), "", 0, 0);
    } catch (RuntimeException e) {
      return refused(ReplicaReply.Refused.Reason.ERROR, "node " + node.nodeId() + ": " + e, "", 0, 0);
    }
  }

  /**
   * A page of live records: the {@code max} smallest keys (unsigned byte order) after
   * {@code scan.afterKey()}. Selecting by key, not by iteration position, keeps paging correct while
   * records come and go between pages; each page walks the engine once (a bounded heap of
   * {@code max} keys).
   */
  private static ReplicaReply.Page page(StorageEngine engine, ReplicaRequest.Scan scan) {
    int max = Math.min(scan.maxEntries(), MAX_PAGE_ENTRIES);
    Bytes after = scan.afterKey();
    // the largest selected key on top, so that a smaller one replaces it
    PriorityQueue<EngineEntry> smallest = new PriorityQueue<>(Math.min(max, 64) + 1,
        (a, b) -> b.key().compareTo(a.key()));
    boolean more = false;
    for (Iterator<EngineEntry> it = engine.iterator(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      if (after != null && entry.key().compareTo(after) <= 0) {
        continue;
      }
      smallest.add(entry);
      if (smallest.size() > max) {
        smallest.poll();
        more = true;
      }
    }
    List<ReplicaReply.PageEntry> entries = new ArrayList<>(smallest.size());
    while (!smallest.isEmpty()) {
      EngineEntry entry = smallest.poll();
      entries.add(new ReplicaReply.PageEntry(entry.key(), entry.record()));
    }
    java.util.Collections.reverse(entries);
    return new ReplicaReply.Page(entries, more);
  }

  private static CompletionStage<ReplicaReply> ack() {
    return CompletableFuture.completedFuture(new ReplicaReply.Ack());
  }

  private static CompletionStage<ReplicaReply> refused(ReplicaReply.Refused.Reason reason, String message, String setting,
      long value, long bound) {
    return CompletableFuture.completedFuture(new ReplicaReply.Refused(reason, message == null ? reason.name() : message,
        setting, value, bound));
  }
}
