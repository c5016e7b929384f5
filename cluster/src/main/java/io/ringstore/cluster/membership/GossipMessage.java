package io.ringstore.cluster.membership;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The three messages of one gossip exchange between an initiator A and a peer B:
 *
 * <pre>
 *   A -- Syn(digests of everything A knows)                          --> B
 *   A <-- Ack(deltas where B is newer, digests of what B wants)      -- B
 *   A -- Ack2(deltas B asked for)                                    --> B
 * </pre>
 *
 * <p>Each is bounded by the frame bound ({@link GossipSettings#maxFrameBytes()}): what does not fit
 * is left for the next round. Wire layout: {@code docs/formats/gossip.md}.
 *
 * <p>Invariants: no node appears twice in one list. Thread-safety: immutable.
 */
public sealed interface GossipMessage permits GossipMessage.Syn, GossipMessage.Ack, GossipMessage.Ack2 {

  /** The wire code of the message type. */
  int typeCode();

  /** Opens an exchange: one digest per node the initiator knows (possibly cut to fit a frame). */
  record Syn(List<Digest> digests) implements GossipMessage {
    /** Checks the invariants and copies the list. */
    public Syn {
      digests = List.copyOf(digests);
      distinct(digests.stream().map(Digest::node).toList(), "Syn digests");
    }

    @Override
    public int typeCode() {
      return 1;
    }
  }

  /** The peer's answer: what it has that the initiator lacks, and what it wants in return. */
  record Ack(List<NodeDelta> deltas, List<Digest> requests) implements GossipMessage {
    /** Checks the invariants and copies the lists. */
    public Ack {
      deltas = List.copyOf(deltas);
      requests = List.copyOf(requests);
      distinct(deltas.stream().map(NodeDelta::node).toList(), "Ack deltas");
      distinct(requests.stream().map(Digest::node).toList(), "Ack requests");
    }

    @Override
    public int typeCode() {
      return 2;
    }
  }

  /** Closes the exchange: the deltas the peer asked for. */
  record Ack2(List<NodeDelta> deltas) implements GossipMessage {
    /** Checks the invariants and copies the list. */
    public Ack2 {
      deltas = List.copyOf(deltas);
      distinct(deltas.stream().map(NodeDelta::node).toList(), "Ack2 deltas");
    }

    @Override
    public int typeCode() {
      return 3;
    }
  }

  private static void distinct(List<NodeId> nodes, String what) {
    Set<NodeId> seen = new HashSet<>();
    for (NodeId node : nodes) {
      if (!seen.add(node)) {
        throw new IllegalArgumentException(what + " name node " + node + " twice");
      }
    }
  }
}
