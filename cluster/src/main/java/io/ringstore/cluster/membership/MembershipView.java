package io.ringstore.cluster.membership;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster as one node sees it at one moment: every node whose status it knows, the local one
 * included, each with its gossiped state and whether it is judged alive. A down node stays a
 * member (membership changes are deliberate: only a node that {@link NodeStatus#LEFT left} is
 * removed, after {@link GossipSettings#leftRetention()}).
 *
 * <p>Invariants: {@code members} is sorted by id and holds {@code self}.
 * <p>Thread-safety: immutable; a new view is published after every change.
 */
public record MembershipView(NodeId self, Map<NodeId, Member> members) {

  /** Checks the invariants and copies the map. */
  public MembershipView {
    if (!members.containsKey(self)) {
      throw new IllegalArgumentException("a view of " + self + " without " + self);
    }
    members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
  }

  /** The member {@code id}, if known. */
  public Optional<Member> member(NodeId id) {
    return Optional.ofNullable(members.get(id));
  }

  /** The members judged alive, by id. */
  public List<Member> alive() {
    return members.values().stream().filter(Member::alive).toList();
  }

  /** The members in {@code status}, by id. */
  public List<Member> inStatus(NodeStatus status) {
    return members.values().stream().filter(m -> m.status() == status).toList();
  }
}
