package io.ringstore.cluster.vertx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.ClusterSerializable;
import java.util.Arrays;

/**
 * Jazzer fuzz test of the cluster channel's decoders: {@link Change#decode} (registry and
 * shared-data changes, Vert.x's {@code NodeInfo} and {@code RegistrationInfo} included) and
 * {@link ClusterValueCodec#decode} (cluster-map keys and values, {@code ClusterSerializable}
 * classes of the test class path included). Any bytes either decode, and then encode to bytes that
 * decode and encode again to the very same bytes (values of our own tags; another
 * ClusterSerializable's bytes are its own class's business), or are refused with
 * {@link MalformedClusterMessageException}; no other exception. (The first re-encoding may differ
 * from the input: JSON text is re-written, a ClusterSerializable may be read from a tag of its own.)
 * The normal build replays the corpus in {@code src/test/resources/io/ringstore/cluster/vertx/
 * ClusterCodecFuzzTestInputs/}; {@code mvn -Pfuzz -pl cluster test -Dtest=ClusterCodecFuzzTest} fuzzes.
 */
class ClusterCodecFuzzTest {
  /** As a member without the Java-serialisation allow-list (the default): Serializable values are refused. */
  private static final ClusterValueCodec CODEC = new ClusterValueCodec("");

  @FuzzTest(maxDuration = "20s")
  void change(byte[] input) {
    Change change;
    try {
      change = Change.decode(Buffer.buffer(input), 0);
    } catch (MalformedClusterMessageException refused) {
      return;
    }
    Buffer once = Buffer.buffer();
    change.writeTo(once);
    Change again = Change.decode(once, 0);
    Buffer twice = Buffer.buffer();
    again.writeTo(twice);
    if (!Arrays.equals(once.getBytes(), twice.getBytes())) {
      throw new AssertionError("a decoded change does not re-encode stably: " + change);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void value(byte[] input) {
    Object value;
    try {
      value = CODEC.decode(input);
    } catch (MalformedClusterMessageException refused) {
      return;
    }
    if (value instanceof ClusterSerializable && !(value instanceof Buffer || value instanceof JsonObject || value instanceof JsonArray)) {
      return; // its bytes are the class's own writeToBuffer (Vert.x's NodeInfo writes a char count as a byte count)
    }
    byte[] once = CODEC.encode(value);
    byte[] twice = CODEC.encode(CODEC.decode(once));
    if (!Arrays.equals(once, twice)) {
      throw new AssertionError("a decoded " + value.getClass().getName() + " does not re-encode stably");
    }
  }
}
