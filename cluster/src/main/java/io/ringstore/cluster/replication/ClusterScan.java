package io.ringstore.cluster.replication;

import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.QuorumNotReachedException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A weakly consistent iteration over a keyspace's live records on every live node: this node's
 * replica first (a direct scan), then each other node's in pages ({@link ReplicaRequest.Scan}, in
 * key order, fetched when the previous page is used up). A key held by several replicas is
 * returned once, with the first copy met (keys already returned are remembered: the iteration
 * holds a set of the keys it returned). Records written, changed or removed during the iteration
 * may or may not be seen, as JCache allows.
 *
 * <p>A node that does not answer a page within the read timeout fails the iteration with a
 * {@link QuorumNotReachedException} naming it (its keys could be missing otherwise).
 *
 * <p>Thread-safety: not thread-safe; one iteration serves one thread.
 */
final class ClusterScan implements Iterator<EngineEntry> {
  /** Records per page asked of a remote node. */
  static final int PAGE_ENTRIES = 256;

  private final Coordinator coordinator;
  private final ArrayDeque<String> nodes;
  private final Set<Bytes> returned = new HashSet<>();
  private @Nullable Iterator<EngineEntry> localRecords;
  private final ArrayDeque<EngineEntry> page = new ArrayDeque<>();
  private @Nullable String pagedNode;
  private @Nullable Bytes after;
  private boolean more;
  private @Nullable EngineEntry next;

  ClusterScan(Coordinator coordinator, List<String> otherNodes) {
    this.coordinator = coordinator;
    this.nodes = new ArrayDeque<>(otherNodes);
    this.localRecords = coordinator.replica().engine().iterator();
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      EngineEntry candidate = fetch();
      if (candidate == null) {
        return false;
      }
      if (returned.add(candidate.key())) {
        next = candidate;
      }
    }
    return true;
  }

  @Override
  public EngineEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    EngineEntry entry = next;
    next = null;
    return entry;
  }

  private @Nullable EngineEntry fetch() {
    Iterator<EngineEntry> local = localRecords;
    if (local != null) {
      if (local.hasNext()) {
        return local.next();
      }
      localRecords = null;
    }
    while (page.isEmpty()) {
      if (pagedNode != null && more) {
        load(pagedNode);
      } else if (!nodes.isEmpty()) {
        pagedNode = nodes.poll();
        after = null;
        load(pagedNode);
      } else {
        return null;
      }
    }
    return page.poll();
  }

  private void load(String node) {
    long timeout = coordinator.settings().readTimeout().toMillis();
    ReplicaReply reply;
    try {
      reply = coordinator.await(coordinator.request(node,
          new ReplicaRequest.Scan(coordinator.settings().name(), after, PAGE_ENTRIES), timeout).toCompletableFuture(),
          timeout, "an iteration");
    } catch (RuntimeException e) {
      throw new QuorumNotReachedException("cache '" + coordinator.settings().name() + "': iterating the cluster, node " + node
          + " did not give its records: " + e.getMessage(), 1, 0);
    }
    if (reply instanceof ReplicaReply.UnknownKeyspace) {
      more = false; // opened there now by the request: it holds nothing
      return;
    }
    if (!(reply instanceof ReplicaReply.Page p)) {
      throw new QuorumNotReachedException("cache '" + coordinator.settings().name() + "': iterating the cluster, node " + node
          + " answered " + Coordinator.describe(reply), 1, 0);
    }
    for (ReplicaReply.PageEntry entry : p.entries()) {
      page.add(new EngineEntry(entry.key(), entry.record()));
      after = entry.key();
    }
    more = p.more() && !p.entries().isEmpty();
  }
}
