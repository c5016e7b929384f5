package io.ringstore.spi;

/** How one version relates to another in causal history. */
public enum Causality {
  /** This version happened before the other: the other descends from it. */
  BEFORE,
  /** This version happened after the other: it descends from the other. */
  AFTER,
  /** Both versions have seen exactly the same events. */
  EQUAL,
  /** Neither has seen all of the other's events: they are siblings. */
  CONCURRENT
}
