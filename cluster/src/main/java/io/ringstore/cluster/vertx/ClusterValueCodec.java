package io.ringstore.cluster.vertx;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.ClusterSerializable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The binary form of the keys and values of Vert.x cluster-wide maps (layout in
 * {@code docs/formats/cluster-channel.md}, "Values"): {@code tag u8} then a payload that runs to the
 * end of the value. The types a Vert.x cluster map carries each have a tag of their own:
 * {@code String}, the eight boxed primitives, {@code byte[]}, {@link Buffer}, {@link JsonObject},
 * {@link JsonArray}, any other {@link ClusterSerializable} (its class name, then what its
 * {@code writeToBuffer} writes; rebuilt through its public no-argument constructor and
 * {@code readFromBuffer}), and, last and only when allowed, {@link Serializable}.
 *
 * <p><b>Java serialisation</b> is used for one case only: a value that is none of the above but
 * {@code Serializable}, and only if the user allowed its classes with
 * {@code ringstore.cluster.serializableFilter} (an {@link ObjectInputFilter} pattern, JDK syntax,
 * read as an allow-list: a class the pattern does not explicitly allow is refused). Without the
 * setting every such value is refused when it is put, with an error naming the class and the
 * setting; with it, a class outside the allow-list is refused on put and again, with every class
 * in the stream, on decode.
 *
 * <p>Equality: the shared state compares keys and values by these bytes (as Hazelcast does), so
 * two values are "equal" for {@code removeIfPresent} and {@code replaceIfPresent} when they encode
 * to the same bytes.
 *
 * <p>Thread-safety: immutable; thread-safe.
 */
final class ClusterValueCodec {
  /** The setting that holds the allow-list of Java-serialised classes. */
  static final String FILTER_SETTING = "ringstore.cluster.serializableFilter";

  static final byte STRING = 1;
  static final byte BYTE = 2;
  static final byte SHORT = 3;
  static final byte INTEGER = 4;
  static final byte LONG = 5;
  static final byte FLOAT = 6;
  static final byte DOUBLE = 7;
  static final byte BOOLEAN = 8;
  static final byte CHARACTER = 9;
  static final byte BYTE_ARRAY = 10;
  static final byte BUFFER = 11;
  static final byte JSON_OBJECT = 12;
  static final byte JSON_ARRAY = 13;
  static final byte CLUSTER_SERIALIZABLE = 14;
  static final byte SERIALIZABLE = 15;

  // constant after construction
  private final String filterPattern;
  private final @Nullable ObjectInputFilter allowList;

  /**
   * A codec whose Java-serialisation allow-list is {@code serializableFilter} (JDK
   * {@code ObjectInputFilter} pattern syntax); empty refuses every Serializable value.
   *
   * @throws IllegalArgumentException if the pattern is not valid filter syntax
   */
  ClusterValueCodec(String serializableFilter) {
    this.filterPattern = serializableFilter.trim();
    if (filterPattern.isEmpty()) {
      this.allowList = null;
    } else {
      ObjectInputFilter pattern;
      try {
        pattern = ObjectInputFilter.Config.createFilter(filterPattern);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(FILTER_SETTING + " = '" + filterPattern + "' is not an ObjectInputFilter pattern: "
            + e.getMessage(), e);
      }
      this.allowList = info -> allowOnly(pattern, info);
    }
  }

  /** The pattern's verdict, read as an allow-list: a class it does not allow is rejected. */
  private static ObjectInputFilter.Status allowOnly(ObjectInputFilter pattern, ObjectInputFilter.FilterInfo info) {
    ObjectInputFilter.Status status = pattern.checkInput(info);
    Class<?> type = info.serialClass();
    if (type == null || status == ObjectInputFilter.Status.REJECTED) {
      return status; // a limit check (depth, references, bytes, array length)
    }
    while (type.isArray()) {
      type = type.getComponentType();
    }
    if (type.isPrimitive()) {
      return ObjectInputFilter.Status.UNDECIDED; // arrays of primitives carry no code
    }
    return status == ObjectInputFilter.Status.ALLOWED ? status : ObjectInputFilter.Status.REJECTED;
  }

  /**
   * The bytes of {@code value}.
   *
   * @throws IllegalArgumentException if the value is of no supported type, or is a Serializable
   *     value whose class the allow-list does not allow (the message names the class and the setting)
   */
  byte[] encode(Object value) {
    Buffer out = Buffer.buffer();
    if (value instanceof String s) {
      out.appendByte(STRING).appendBytes(s.getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof Byte b) {
      out.appendByte(BYTE).appendByte(b);
    } else if (value instanceof Short s) {
      out.appendByte(SHORT).appendShort(s);
    } else if (value instanceof Integer i) {
      out.appendByte(INTEGER).appendInt(i);
    } else if (value instanceof Long l) {
      out.appendByte(LONG).appendLong(l);
    } else if (value instanceof Float f) {
      out.appendByte(FLOAT).appendInt(Float.floatToRawIntBits(f));
    } else if (value instanceof Double d) {
      out.appendByte(DOUBLE).appendLong(Double.doubleToRawLongBits(d));
    } else if (value instanceof Boolean b) {
      out.appendByte(BOOLEAN).appendByte((byte) (b ? 1 : 0));
    } else if (value instanceof Character c) {
      out.appendByte(CHARACTER).appendShort((short) c.charValue());
    } else if (value instanceof byte[] bytes) {
      out.appendByte(BYTE_ARRAY).appendBytes(bytes);
    } else if (value instanceof Buffer buffer) {
      out.appendByte(BUFFER).appendBuffer(buffer);
    } else if (value instanceof JsonObject json) {
      out.appendByte(JSON_OBJECT).appendBytes(json.encode().getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof JsonArray json) {
      out.appendByte(JSON_ARRAY).appendBytes(json.encode().getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof ClusterSerializable cs) {
      byte[] name = cs.getClass().getName().getBytes(StandardCharsets.UTF_8);
      out.appendByte(CLUSTER_SERIALIZABLE).appendUnsignedShort(name.length).appendBytes(name);
      cs.writeToBuffer(out);
    } else if (value instanceof Serializable) {
      checkAllowed(value.getClass());
      out.appendByte(SERIALIZABLE).appendBytes(serialize(value));
    } else {
      throw new IllegalArgumentException("a cluster map cannot hold a " + value.getClass().getName()
          + ": it takes String, boxed primitives, byte[], Buffer, JsonObject, JsonArray, ClusterSerializable,"
          + " and Serializable classes allowed by " + FILTER_SETTING);
    }
    return out.getBytes();
  }

  private void checkAllowed(Class<?> type) {
    if (allowList == null) {
      throw new IllegalArgumentException("a cluster map refuses a " + type.getName()
          + ": it is only java.io.Serializable, and Java serialisation is off; allow the class with the system property "
          + FILTER_SETTING + " or ClusterManagerSettings.serializableFilter (ObjectInputFilter pattern syntax,"
          + " e.g. 'com.example.**'), or make it ClusterSerializable");
    }
    if (allowList.checkInput(new TopLevelClass(type)) != ObjectInputFilter.Status.ALLOWED) {
      throw new IllegalArgumentException("a cluster map refuses a " + type.getName() + ": " + FILTER_SETTING
          + " = '" + filterPattern + "' does not allow it");
    }
  }

  private static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("a cluster map cannot hold this " + value.getClass().getName()
          + ": Java serialisation failed: " + e, e);
    }
    return bytes.toByteArray();
  }

  /**
   * The value {@code bytes} encode.
   *
   * @throws MalformedClusterMessageException if they encode none (or a class that cannot be
   *     rebuilt here: unknown, not allowed, or failing in its own {@code readFromBuffer})
   */
  Object decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new MalformedClusterMessageException("a value is empty; need at least its tag", 0);
    }
    int tag = bytes[0];
    int n = bytes.length - 1;
    return switch (tag) {
      case STRING -> Change.utf8(bytes, 1, n, 1);
      case BYTE -> exact(bytes, 1)[1];
      case SHORT -> ByteBuffer.wrap(exact(bytes, 2), 1, 2).getShort();
      case INTEGER -> ByteBuffer.wrap(exact(bytes, 4), 1, 4).getInt();
      case LONG -> ByteBuffer.wrap(exact(bytes, 8), 1, 8).getLong();
      case FLOAT -> Float.intBitsToFloat(ByteBuffer.wrap(exact(bytes, 4), 1, 4).getInt());
      case DOUBLE -> Double.longBitsToDouble(ByteBuffer.wrap(exact(bytes, 8), 1, 8).getLong());
      case BOOLEAN -> {
        byte b = exact(bytes, 1)[1];
        if (b != 0 && b != 1) {
          throw new MalformedClusterMessageException("a Boolean value is " + b + "; need 0 or 1", 1);
        }
        yield b == 1;
      }
      case CHARACTER -> ByteBuffer.wrap(exact(bytes, 2), 1, 2).getChar();
      case BYTE_ARRAY -> java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
      case BUFFER -> Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
      case JSON_OBJECT -> json(bytes, true);
      case JSON_ARRAY -> json(bytes, false);
      case CLUSTER_SERIALIZABLE -> clusterSerializable(bytes);
      case SERIALIZABLE -> deserialize(bytes);
      default -> throw new MalformedClusterMessageException("unknown value tag " + tag + "; this build knows 1 to 15", 0);
    };
  }

  private static byte[] exact(byte[] bytes, int payload) {
    if (bytes.length != 1 + payload) {
      throw new MalformedClusterMessageException("a value of tag " + bytes[0] + " has " + (bytes.length - 1)
          + " payload bytes; need " + payload, 1);
    }
    return bytes;
  }

  private static Object json(byte[] bytes, boolean object) {
    String text = Change.utf8(bytes, 1, bytes.length - 1, 1);
    try {
      return object ? new JsonObject(text) : new JsonArray(text);
    } catch (RuntimeException e) { // Vert.x's DecodeException, or JSON of another shape
      throw new MalformedClusterMessageException("a " + (object ? "JsonObject" : "JsonArray") + " value is not one: "
          + e.getMessage(), 1, e);
    }
  }

  private static Object clusterSerializable(byte[] bytes) {
    if (bytes.length < 3) {
      throw new MalformedClusterMessageException("a ClusterSerializable value ends before its class name's length", 1);
    }
    int nameLength = ((bytes[1] & 0xff) << 8) | (bytes[2] & 0xff);
    if (nameLength > bytes.length - 3) {
      throw new MalformedClusterMessageException("a ClusterSerializable class name of " + nameLength
          + " bytes runs past the value (" + (bytes.length - 3) + " bytes left)", 1);
    }
    String name = Change.utf8(bytes, 3, nameLength, 3);
    int payloadAt = 3 + nameLength;
    Class<?> type = loadClass(name, payloadAt);
    if (!ClusterSerializable.class.isAssignableFrom(type) || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      throw new MalformedClusterMessageException("class " + name + " is not a concrete ClusterSerializable", 3);
    }
    ClusterSerializable value;
    try {
      Constructor<?> constructor = type.getConstructor();
      value = (ClusterSerializable) constructor.newInstance();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      throw new MalformedClusterMessageException("ClusterSerializable class " + name
          + " cannot be built through a public no-argument constructor: " + e, 3, e);
    }
    Buffer payload = Buffer.buffer(java.util.Arrays.copyOfRange(bytes, payloadAt, bytes.length));
    int end;
    try {
      end = value.readFromBuffer(0, payload);
    } catch (RuntimeException e) { // whatever the class's own reader throws on bytes it did not write
      throw new MalformedClusterMessageException("ClusterSerializable class " + name + " could not read its "
          + payload.length() + " bytes: " + e, payloadAt, e);
    }
    if (end != payload.length()) {
      throw new MalformedClusterMessageException("ClusterSerializable class " + name + " read " + end + " of its "
          + payload.length() + " bytes", payloadAt);
    }
    return value;
  }

  private static Class<?> loadClass(String name, int at) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    try {
      return Class.forName(name, false, context != null ? context : ClusterValueCodec.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError | RuntimeException first) {
      try {
        return Class.forName(name, false, ClusterValueCodec.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
        throw new MalformedClusterMessageException("class " + name + " is not known here", at, e);
      }
    }
  }

  private Object deserialize(byte[] bytes) {
    ObjectInputFilter filter = allowList;
    if (filter == null) {
      throw new MalformedClusterMessageException("a Java-serialised value is refused: " + FILTER_SETTING
          + " is not set on this member", 0);
    }
    ByteArrayInputStream stream = new ByteArrayInputStream(bytes, 1, bytes.length - 1);
    try (ObjectInputStream in = new LoaderObjectInputStream(stream)) {
      in.setObjectInputFilter(filter);
      Object value = in.readObject();
      if (stream.available() != 0) {
        throw new MalformedClusterMessageException(stream.available() + " bytes after the Java-serialised value",
            bytes.length - stream.available());
      }
      return value;
    } catch (InvalidClassException e) {
      throw new MalformedClusterMessageException("a Java-serialised value is refused by " + FILTER_SETTING
          + " = '" + filterPattern + "' or is invalid: " + e.getMessage(), 1, e);
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      if (e instanceof MalformedClusterMessageException m) {
        throw m;
      }
      throw new MalformedClusterMessageException("a Java-serialised value could not be read: " + e, 1, e);
    }
  }

  /** Resolves classes through the thread's context class loader first (the application's). */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    LoaderObjectInputStream(ByteArrayInputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      if (context != null) {
        try {
          return Class.forName(desc.getName(), false, context);
        } catch (ClassNotFoundException ignored) {
          // fall back to the default resolution
        }
      }
      return super.resolveClass(desc);
    }
  }

  /** What the allow-list is asked about a class that a value is of, before anything is written. */
  private record TopLevelClass(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
    @Override
    public long arrayLength() {
      return -1;
    }

    @Override
    public long depth() {
      return 1;
    }

    @Override
    public long references() {
      return 1;
    }

    @Override
    public long streamBytes() {
      return 0;
    }
  }
}
