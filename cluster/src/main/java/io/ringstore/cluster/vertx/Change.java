package io.ringstore.cluster.vertx;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.nio.charset.StandardCharsets;

/**
 * One change of the cluster registry, sequenced by the coordinator and applied by every member in
 * the same order. Encoded with {@link #writeTo} and {@link #readFrom} (layout in
 * {@code docs/formats/cluster-channel.md}); {@link NodeInfo} and {@link RegistrationInfo} use
 * Vert.x's own {@code ClusterSerializable} binary layout, never Java serialisation.
 *
 * <p>Thread-safety: immutable (the Vert.x values inside are not mutated after construction).
 */
sealed interface Change {

  /** A Vert.x node joined, taking cluster-channel traffic at {@code channelAddress}. */
  record MemberAdded(String nodeId, String channelAddress) implements Change {}

  /** A Vert.x node left (or was judged down); its registrations and node info go with it. */
  record MemberRemoved(String nodeId) implements Change {}

  /** A handler registration was added at {@code address}. */
  record RegistrationAdded(String address, RegistrationInfo info) implements Change {}

  /** A handler registration was removed from {@code address}. */
  record RegistrationRemoved(String address, RegistrationInfo info) implements Change {}

  /** Node {@code nodeId} published its event-bus {@code info}. */
  record NodeInfoSet(String nodeId, NodeInfo info) implements Change {}

  /** Appends this change to {@code out}. */
  default void writeTo(Buffer out) {
    if (this instanceof MemberAdded c) {
      out.appendByte((byte) 1);
      writeString(out, c.nodeId());
      writeString(out, c.channelAddress());
    } else if (this instanceof MemberRemoved c) {
      out.appendByte((byte) 2);
      writeString(out, c.nodeId());
    } else if (this instanceof RegistrationAdded c) {
      out.appendByte((byte) 3);
      writeString(out, c.address());
      c.info().writeToBuffer(out);
    } else if (this instanceof RegistrationRemoved c) {
      out.appendByte((byte) 4);
      writeString(out, c.address());
      c.info().writeToBuffer(out);
    } else if (this instanceof NodeInfoSet c) {
      out.appendByte((byte) 5);
      writeString(out, c.nodeId());
      c.info().writeToBuffer(out);
    }
  }

  /** A change read from {@code in} at {@code pos[0]}, which it advances. */
  static Change readFrom(Buffer in, int[] pos) {
    int kind = in.getByte(pos[0]++);
    switch (kind) {
      case 1:
        return new MemberAdded(readString(in, pos), readString(in, pos));
      case 2:
        return new MemberRemoved(readString(in, pos));
      case 3:
      case 4: {
        String address = readString(in, pos);
        RegistrationInfo info = new RegistrationInfo();
        pos[0] = info.readFromBuffer(pos[0], in);
        return kind == 3 ? new RegistrationAdded(address, info) : new RegistrationRemoved(address, info);
      }
      case 5: {
        String nodeId = readString(in, pos);
        NodeInfo info = new NodeInfo();
        pos[0] = info.readFromBuffer(pos[0], in);
        return new NodeInfoSet(nodeId, info);
      }
      default:
        throw new IllegalArgumentException("unknown registry change kind " + kind + "; this build knows 1 to 5");
    }
  }

  static void writeString(Buffer out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.appendInt(bytes.length).appendBytes(bytes);
  }

  static String readString(Buffer in, int[] pos) {
    int length = in.getInt(pos[0]);
    if (length < 0 || length > in.length() - pos[0] - 4) {
      throw new IllegalArgumentException("string length " + length + " at offset " + pos[0]
          + " runs past the frame (" + in.length() + " bytes)");
    }
    String s = in.getString(pos[0] + 4, pos[0] + 4 + length, "UTF-8");
    pos[0] += 4 + length;
    return s;
  }
}
