package io.ringstore.cluster.node;

import io.ringstore.cluster.repair.MerkleTree;
import io.ringstore.cluster.repair.TreeCache;
import io.ringstore.cluster.repair.VersionDigest;
import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.cluster.wire.WireCodec;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Ticker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A node's answers to the replica protocol: what it does with each {@link ReplicaRequest} another
 * node sends it. Never throws: every outcome, errors included, is a {@link ReplicaReply}.
 *
 * <p>Anti-entropy ({@code docs/anti-entropy.md}): a {@link ReplicaRequest.Tree} builds the
 * replica's Merkle tree of the request's scope with one scan of the engine and keeps it in a
 * {@link TreeCache} for the exchange's next levels; a {@link ReplicaRequest.Keys} drops it and
 * lists the keys and version digests of the asked leaves with one more scan, at most
 * {@link WireCodec#MAX_KEY_DIGESTS} entries and about {@link #MAX_KEY_DIGEST_BYTES} of keys a
 * reply. Both scans run on the thread that calls {@link #handle}: they take time in proportion to
 * the keyspace, so a caller on an event loop hands these two requests to a worker, as it does
 * requests for blocking engines.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ReplicaEndpoint {
  /** The most records a scan page holds, whatever the request asks. */
  static final int MAX_PAGE_ENTRIES = 1024;
  /** About the most key bytes a {@code KeyDigests} reply carries (one key more, if a single key is larger). */
  static final int MAX_KEY_DIGEST_BYTES = 1 << 20;

  private final ReplicaHost node;
  private final TreeCache trees;

  /** The endpoint of {@code node}'s keyspaces; anti-entropy trees idle out by the system ticker. */
  public ReplicaEndpoint(ReplicaHost node) {
    this(node, Env.system().ticker());
  }

  /** The endpoint of {@code node}'s keyspaces; anti-entropy trees idle out by {@code ticker}. */
  public ReplicaEndpoint(ReplicaHost node, Ticker ticker) {
    this.node = node;
    this.trees = new TreeCache(ticker);
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
      if (request instanceof ReplicaRequest.Purge purge) {
        keyspace.replica().purge(purge.key(), purge.clock());
        return ack();
      }
      if (request instanceof ReplicaRequest.Merge merge) {
        keyspace.replica().merge(merge.key(), merge.record());
        return ack();
      }
      if (request instanceof ReplicaRequest.Commit commit) {
        return keyspace.commit(commit);
      }
      if (request instanceof ReplicaRequest.Clear clear) {
        trees.releaseAll(clear.keyspace());
        keyspace.clearLocal(clear.timestamp());
        return ack();
      }
      if (request instanceof ReplicaRequest.Drop) {
        trees.releaseAll(request.keyspace());
        node.dropReplica(request.keyspace());
        return ack();
      }
      if (request instanceof ReplicaRequest.Tree tree) {
        MerkleTree built = trees.get(new TreeCache.Key(tree.keyspace(), tree.origin(), tree.exchange(), tree.scope(), tree.depth()),
            () -> build(keyspace.replica().engine(), tree));
        return CompletableFuture.completedFuture(new ReplicaReply.TreeHashes(built.hashes(tree.level(), tree.nodes())));
      }
      if (request instanceof ReplicaRequest.Keys keys) {
        trees.release(keys.keyspace(), keys.origin(), keys.exchange());
        return CompletableFuture.completedFuture(keyDigests(keyspace.replica().engine(), keys));
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

  /** The replica's tree for {@code request}: one scan of the engine. */
  private static MerkleTree build(StorageEngine engine, ReplicaRequest.Tree request) {
    MerkleTree.Builder builder = MerkleTree.builder(request.scope(), request.depth());
    for (Iterator<EngineEntry> it = engine.iterator(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      builder.add(entry.key(), entry.record());
    }
    return builder.build();
  }

  /** One entry of a Keys answer while it is selected: its leaf orders it before its key. */
  private record LeafEntry(int leaf, Bytes key, long digest) {}

  private static final Comparator<LeafEntry> LEAF_ORDER = Comparator.comparingInt(LeafEntry::leaf)
      .thenComparing(LeafEntry::key);

  /**
   * The first keys (by leaf, then key) of the asked leaves with their digests: one scan of the
   * engine keeping a bounded heap of {@link WireCodec#MAX_KEY_DIGESTS} entries, then cut at
   * {@link #MAX_KEY_DIGEST_BYTES} of keys.
   */
  private static ReplicaReply.KeyDigests keyDigests(StorageEngine engine, ReplicaRequest.Keys request) {
    Set<Integer> leaves = new HashSet<>(request.leaves());
    int firstLeaf = request.leaves().get(0);
    Bytes after = request.afterKey();
    int max = WireCodec.MAX_KEY_DIGESTS;
    PriorityQueue<LeafEntry> smallest = new PriorityQueue<>(64, LEAF_ORDER.reversed());
    boolean more = false;
    for (Iterator<EngineEntry> it = engine.iterator(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      long token = Tokens.of(entry.key());
      if (!request.scope().contains(token)) {
        continue;
      }
      int leaf = MerkleTree.leafOf(token, request.depth());
      if (!leaves.contains(leaf) || leaf < firstLeaf || (leaf == firstLeaf && after != null && entry.key().compareTo(after) <= 0)) {
        continue;
      }
      smallest.add(new LeafEntry(leaf, entry.key(), VersionDigest.of(entry.record())));
      if (smallest.size() > max) {
        smallest.poll();
        more = true;
      }
    }
    List<LeafEntry> sorted = new ArrayList<>(smallest);
    sorted.sort(LEAF_ORDER);
    List<ReplicaReply.KeyDigest> entries = new ArrayList<>(sorted.size());
    long keyBytes = 0;
    for (LeafEntry entry : sorted) {
      if (!entries.isEmpty() && keyBytes + entry.key().length() > MAX_KEY_DIGEST_BYTES) {
        more = true;
        break;
      }
      keyBytes += entry.key().length();
      entries.add(new ReplicaReply.KeyDigest(entry.key(), entry.digest()));
    }
    return new ReplicaReply.KeyDigests(Collections.unmodifiableList(entries), more);
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
