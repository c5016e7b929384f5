package io.ringstore.cluster.membership;

import io.ringstore.spi.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The name of one piece of a node's gossiped state, as a one-byte code. The known keys give their
 * values a meaning and a check ({@link #problem(Bytes)}); any other code (up to 255) is a key of a
 * newer build: it is kept, versioned and relayed verbatim like the others, but nobody here reads
 * it. So adding a key does not need a new format version; changing what a key's value means does.
 *
 * <p>Invariants: {@code 0 <= code <= 255}; a value is at most {@value #MAX_VALUE_BYTES} bytes.
 * <p>Thread-safety: immutable.
 */
public record StateKey(int code) implements Comparable<StateKey> {

  /** The longest value of any key, in bytes: 2,048 tokens (256 virtual nodes at weight 8). */
  public static final int MAX_VALUE_BYTES = 16 * 1024;
  /** The longest address, in UTF-8 bytes. */
  public static final int MAX_ADDRESS_BYTES = 255;

  /** The heartbeat: empty value; its version moves at every gossip round of the node. */
  public static final StateKey HEARTBEAT = new StateKey(0);
  /** One byte: the {@link NodeStatus#code()}. */
  public static final StateKey STATUS = new StateKey(1);
  /** UTF-8 {@code host:port} where the node takes gossip frames. */
  public static final StateKey GOSSIP_ADDRESS = new StateKey(2);
  /** UTF-8 {@code host:port} of the node's event bus. */
  public static final StateKey BUS_ADDRESS = new StateKey(3);
  /** UTF-8 {@code host:port} of the node's HTTP (admin/REST) server. */
  public static final StateKey HTTP_ADDRESS = new StateKey(4);
  /** Four bytes, a little-endian signed int >= 1: the capacity weight. */
  public static final StateKey WEIGHT = new StateKey(5);
  /** A multiple of 8 bytes: the node's ring tokens, each a little-endian signed long. */
  public static final StateKey TOKENS = new StateKey(6);
  /**
   * UTF-8, 1 to {@value #MAX_ADDRESS_BYTES} bytes: the id of the node's Vert.x instance in its
   * Vert.x cluster (it changes at every start), so that the Vert.x cluster manager can tell which
   * Vert.x node a member is.
   */
  public static final StateKey VERTX_NODE_ID = new StateKey(7);

  /** Checks the invariants. */
  public StateKey {
    if (code < 0 || code > 255) {
      throw new IllegalArgumentException("state key code = " + code + "; need 0 to 255");
    }
  }

  /** True for the keys this build knows (codes 0 to 7). */
  public boolean known() {
    return code <= VERTX_NODE_ID.code;
  }

  /** A readable name: {@code STATUS}, ..., or {@code KEY_17} for a key of a newer build. */
  public String name() {
    return switch (code) {
      case 0 -> "HEARTBEAT";
      case 1 -> "STATUS";
      case 2 -> "GOSSIP_ADDRESS";
      case 3 -> "BUS_ADDRESS";
      case 4 -> "HTTP_ADDRESS";
      case 5 -> "WEIGHT";
      case 6 -> "TOKENS";
      case 7 -> "VERTX_NODE_ID";
      default -> "KEY_" + code;
    };
  }

  /**
   * What is wrong with {@code value} as a value of this key, or null if nothing is. Unknown keys
   * accept any value up to the length bound.
   */
  public @Nullable String problem(Bytes value) {
    int length = value.length();
    if (length > MAX_VALUE_BYTES) {
      return name() + " value is " + length + " bytes; limit " + MAX_VALUE_BYTES;
    }
    switch (code) {
      case 0:
        return length == 0 ? null : "HEARTBEAT value must be empty, is " + length + " bytes";
      case 1:
        if (length != 1) {
          return "STATUS value must be 1 byte, is " + length;
        }
        int status = value.at(0) & 0xff;
        return NodeStatus.ofCode(status) != null ? null : "unknown STATUS code " + status + " (this build knows 1 to 4)";
      case 2:
      case 3:
      case 4:
      case 7:
        if (length == 0 || length > MAX_ADDRESS_BYTES) {
          return name() + " value is " + length + " bytes; need 1 to " + MAX_ADDRESS_BYTES;
        }
        try {
          StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value.toByteArray()));
          return null;
        } catch (CharacterCodingException e) {
          return name() + " value is not UTF-8";
        }
      case 5:
        if (length != 4) {
          return "WEIGHT value must be 4 bytes, is " + length;
        }
        int weight = littleEndianInt(value, 0);
        return weight >= 1 ? null : "WEIGHT = " + weight + "; need >= 1";
      case 6:
        return length % 8 == 0 ? null : "TOKENS value is " + length + " bytes; need a multiple of 8";
      default:
        return null;
    }
  }

  static int littleEndianInt(Bytes value, int at) {
    return (value.at(at) & 0xff) | (value.at(at + 1) & 0xff) << 8 | (value.at(at + 2) & 0xff) << 16 | (value.at(at + 3) & 0xff) << 24;
  }

  @Override
  public int compareTo(StateKey other) {
    return Integer.compare(code, other.code);
  }

  @Override
  public String toString() {
    return name();
  }
}
