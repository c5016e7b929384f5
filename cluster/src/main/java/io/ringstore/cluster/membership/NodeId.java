package io.ringstore.cluster.membership;

import java.nio.charset.StandardCharsets;

/**
 * The stable identity of a node, chosen by the node once (a UUID string, for instance) and kept
 * across restarts; the ring derives the node's tokens from it. Distinct from the generation, which
 * changes at every start.
 *
 * <p>Invariants: not empty; at most {@value #MAX_UTF8_BYTES} bytes in UTF-8; no ISO control
 * characters. Ordered by {@link String#compareTo}.
 * <p>Thread-safety: immutable.
 */
public record NodeId(String value) implements Comparable<NodeId> {

  /** The longest id, in UTF-8 bytes. */
  public static final int MAX_UTF8_BYTES = 128;

  /** Checks the invariants. */
  public NodeId {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("node id is empty; need 1 to " + MAX_UTF8_BYTES + " UTF-8 bytes");
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_UTF8_BYTES) {
      throw new IllegalArgumentException(
          "node id '" + value.substring(0, 16) + "...' is " + bytes + " UTF-8 bytes; limit " + MAX_UTF8_BYTES);
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException("node id has a control character at index " + i + ": " + value.replaceAll("\\p{Cntrl}", "?"));
      }
    }
  }

  /** The id {@code value}. */
  public static NodeId of(String value) {
    return new NodeId(value);
  }

  @Override
  public int compareTo(NodeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
