package io.ringstore.spi;

import static java.util.Objects.requireNonNull;

/**
 * One event in causal history: the {@code counter}-th write coordinated by {@code actor}. Each
 * sibling of a stored record carries the dot of the write that produced it (dotted version
 * vectors, as in Riak 2.0).
 *
 * <p>Invariants: {@code counter >= 1}; {@code actor} is a non-empty node id.
 * <p>Thread-safety: immutable.
 *
 * @param actor the id of the node that coordinated the write
 * @param counter the position of the write in that node's sequence, from 1
 */
public record Dot(String actor, long counter) {
  public Dot {
    requireNonNull(actor, "actor");
    if (actor.isEmpty()) {
      throw new IllegalArgumentException("dot actor must not be empty");
    }
    if (counter < 1) {
      throw new IllegalArgumentException("dot counter = " + counter + " is out of range; need counter >= 1");
    }
  }

  @Override
  public String toString() {
    return actor + ":" + counter;
  }
}
