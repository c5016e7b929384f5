package io.ringstore.cluster.membership;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The reconciliation of one exchange as pure functions over a map of {@link EndpointState}s: what
 * a Syn holds, what a peer answers to it, and what the initiator answers to the peer's requests.
 * No clock, no I/O; the {@link Gossiper} calls these and applies the results.
 *
 * <p>For each node, comparing a digest (generation g, highest version v) with the local state:
 * unknown locally: request everything; local generation older than g, or same generation and local
 * highest version below v: request what is above the local highest version; local generation newer:
 * send everything; same generation, local highest version above v: send the entries above v. Nodes
 * missing from the digests are sent whole. The generation of the request decides, at the other
 * end, between everything (the other end's generation is newer) and the entries above the version.
 *
 * <p>Every output is cut to a byte budget (what is left of the frame bound): deltas go in random
 * order (so that no node starves when the budget is short), a delta that does not fit whole is
 * cut after the last entry that fits, and whatever is left goes in a later round.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class GossipExchange {

  private GossipExchange() {}

  /** The digests of {@code states}, shuffled and cut to {@code budgetBytes} of encoded size. */
  public static List<Digest> syn(Map<NodeId, EndpointState> states, int budgetBytes, RandomGenerator random) {
    List<Digest> digests = new ArrayList<>(states.size());
    states.values().forEach(state -> digests.add(state.digest()));
    shuffle(digests, random);
    int budget = budgetBytes - GossipCodec.sizeOfVar(digests.size());
    List<Digest> fitting = new ArrayList<>(digests.size());
    for (Digest digest : digests) {
      int size = GossipCodec.sizeOf(digest);
      if (size <= budget) {
        fitting.add(digest);
        budget -= size;
      }
    }
    return fitting;
  }

  /**
   * The answer to a Syn carrying {@code remote}: the deltas the initiator lacks and requests for
   * what it has that is newer. {@code wanted} filters the requests (the gossiper excludes nodes
   * it has removed). The Ack fits in {@code budgetBytes} (requests first, then deltas).
   */
  public static GossipMessage.Ack ack(
      Map<NodeId, EndpointState> states,
      List<Digest> remote,
      Predicate<Digest> wanted,
      int budgetBytes,
      RandomGenerator random) {
    List<Digest> requests = new ArrayList<>();
    List<NodeDelta> candidates = new ArrayList<>();
    Set<NodeId> mentioned = new HashSet<>();
    for (Digest digest : remote) {
      mentioned.add(digest.node());
      EndpointState mine = states.get(digest.node());
      if (mine == null) {
        if (wanted.test(digest)) {
          requests.add(new Digest(digest.node(), 0, 0));
        }
        continue;
      }
      NodeDelta delta = deltaFor(mine, digest.generation(), digest.maxVersion());
      if (delta != null) {
        candidates.add(delta);
      } else if (mine.generation() < digest.generation() || mine.maxVersion() < digest.maxVersion()) {
        if (wanted.test(digest)) {
          requests.add(mine.digest());
        }
      }
    }
    for (EndpointState mine : states.values()) {
      if (!mentioned.contains(mine.node())) {
        candidates.add(mine.fullDelta());
      }
    }
    shuffle(requests, random);
    int budget = budgetBytes - GossipCodec.sizeOfVar(requests.size()) - GossipCodec.sizeOfVar(candidates.size());
    List<Digest> fittingRequests = new ArrayList<>(requests.size());
    for (Digest request : requests) {
      int size = GossipCodec.sizeOf(request);
      if (size <= budget) {
        fittingRequests.add(request);
        budget -= size;
      }
    }
    return new GossipMessage.Ack(fit(candidates, budget, random), fittingRequests);
  }

  /** The deltas answering {@code requests} (of an Ack), cut to {@code budgetBytes}. */
  public static List<NodeDelta> ack2(
      Map<NodeId, EndpointState> states, List<Digest> requests, int budgetBytes, RandomGenerator random) {
    List<NodeDelta> candidates = new ArrayList<>();
    for (Digest request : requests) {
      EndpointState mine = states.get(request.node());
      if (mine != null) {
        NodeDelta delta = deltaFor(mine, request.generation(), request.maxVersion());
        if (delta != null) {
          candidates.add(delta);
        }
      }
    }
    return fit(candidates, budgetBytes - GossipCodec.sizeOfVar(candidates.size()), random);
  }

  /** What of {@code mine} a holder of (generation, maxVersion) lacks, or null if nothing. */
  static @Nullable NodeDelta deltaFor(EndpointState mine, long generation, long maxVersion) {
    if (mine.generation() > generation) {
      return mine.fullDelta();
    }
    if (mine.generation() == generation && mine.maxVersion() > maxVersion) {
      return mine.deltaAbove(maxVersion);
    }
    return null;
  }

  /** {@code candidates} in random order, each whole or cut, within {@code budgetBytes}. */
  static List<NodeDelta> fit(List<NodeDelta> candidates, int budgetBytes, RandomGenerator random) {
    List<NodeDelta> order = new ArrayList<>(candidates);
    shuffle(order, random);
    List<NodeDelta> fitting = new ArrayList<>();
    int budget = budgetBytes;
    for (NodeDelta delta : order) {
      int size = GossipCodec.sizeOf(delta);
      if (size <= budget) {
        fitting.add(delta);
        budget -= size;
        continue;
      }
      // the entry count is a varint: count it at its largest, the whole delta's count
      int used = GossipCodec.sizeOfDeltaHead(delta.node(), delta.generation()) + GossipCodec.sizeOfVar(delta.entries().size());
      int taken = 0;
      for (StateEntry entry : delta.entries()) {
        int size2 = GossipCodec.sizeOf(entry);
        if (used + size2 > budget) {
          break;
        }
        used += size2;
        taken++;
      }
      if (taken > 0) {
        fitting.add(new NodeDelta(delta.node(), delta.generation(), delta.entries().subList(0, taken)));
        budget -= used;
      }
    }
    return fitting;
  }

  private static <T> void shuffle(List<T> list, RandomGenerator random) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, random.nextInt(i + 1));
    }
  }
}
