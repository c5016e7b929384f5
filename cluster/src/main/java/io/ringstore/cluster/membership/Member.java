package io.ringstore.cluster.membership;

import io.ringstore.spi.Bytes;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One node as a {@link MembershipView} shows it: its gossiped state and the local judgement
 * whether it is alive.
 *
 * <p>Invariants: {@code state.node().equals(id)}, {@code state.generation() == generation}; the
 * state holds a {@link StateKey#STATUS} entry equal to {@code status} (a node whose status is not
 * yet known is not a member of any view).
 * <p>Thread-safety: immutable.
 *
 * @param alive the failure detector's judgement when the view was taken; always true for the
 *     local node itself
 */
public record Member(NodeId id, long generation, NodeStatus status, boolean alive, EndpointState state) {

  /** Checks the invariants. */
  public Member {
    if (!state.node().equals(id) || state.generation() != generation) {
      throw new IllegalArgumentException("member " + id + "@" + generation + " with the state of "
          + state.node() + "@" + state.generation());
    }
    StateEntry entry = state.entry(StateKey.STATUS);
    if (entry == null || (entry.value().at(0) & 0xff) != status.code()) {
      throw new IllegalArgumentException("member " + id + " in status " + status + " with the state entry " + entry);
    }
  }

  /** The heartbeat version (0 if none seen yet). */
  public long heartbeat() {
    return state.heartbeatVersion();
  }

  /** Where the node takes gossip, if known. */
  public Optional<String> gossipAddress() {
    return text(StateKey.GOSSIP_ADDRESS);
  }

  /** The node's event-bus address ({@code host:port}), if it published one. */
  public Optional<String> busAddress() {
    return text(StateKey.BUS_ADDRESS);
  }

  /** The node's HTTP address ({@code host:port}), if it published one. */
  public Optional<String> httpAddress() {
    return text(StateKey.HTTP_ADDRESS);
  }

  /** The capacity weight, 1 if the node did not publish one. */
  public int weight() {
    StateEntry entry = state.entry(StateKey.WEIGHT);
    return entry == null ? 1 : StateKey.littleEndianInt(entry.value(), 0);
  }

  /** The node's published ring tokens, empty if none. */
  public long[] tokens() {
    StateEntry entry = state.entry(StateKey.TOKENS);
    if (entry == null) {
      return new long[0];
    }
    Bytes value = entry.value();
    long[] tokens = new long[value.length() / 8];
    for (int i = 0; i < tokens.length; i++) {
      long token = 0;
      for (int b = 7; b >= 0; b--) {
        token = token << 8 | (value.at(i * 8 + b) & 0xff);
      }
      tokens[i] = token;
    }
    return tokens;
  }

  /** The raw value of {@code key} (including keys of newer builds), or null. */
  public @Nullable Bytes value(StateKey key) {
    StateEntry entry = state.entry(key);
    return entry == null ? null : entry.value();
  }

  private Optional<String> text(StateKey key) {
    StateEntry entry = state.entry(key);
    return entry == null ? Optional.empty() : Optional.of(entry.value().asUtf8());
  }
}
