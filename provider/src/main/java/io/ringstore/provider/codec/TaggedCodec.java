package io.ringstore.provider.codec;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The built-in codec of keys and values stored by value: one type tag byte, then the payload.
 *
 * <pre>
 * tag  type                    payload
 * 0x01 String                  UTF-8 (strings without unpaired surrogates)
 * 0x02 byte[]                  the bytes as they are
 * 0x03 Long                    8 bytes, big-endian two's complement
 * 0x04 Integer                 4 bytes, big-endian two's complement
 * 0x05 Serializable (other)    a Java serialisation stream
 * 0x06 String                  its chars, 2 bytes each, big-endian (strings with an unpaired surrogate,
 *                              which UTF-8 cannot keep)
 * </pre>
 *
 * <p>Equal values of the first four types always encode to equal bytes, so they make good keys. A
 * {@code byte[]} key is compared by content (JCache compares it by identity; content is the only
 * thing that survives storing by value). Serializable keys are equal only if their serialised forms
 * are; classes with non-deterministic serialisation (say, a {@code HashSet} of elements that hash by
 * identity) make poor keys: give such a cache its own key codec.
 *
 * <p>Deserialisation resolves classes through the cache's class loader (held weakly, falling back
 * to this class's loader once it is gone) and goes through a {@link DeserializationFilter}.
 *
 * <p>Errors: {@link #encode} throws {@link IllegalArgumentException} naming the class of a value
 * that is neither one of the four types nor serialisable; {@link #decode} throws
 * {@link IllegalArgumentException} for bytes it cannot read, including classes the filter rejects.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class TaggedCodec implements Codec<Object> {

  static final byte STRING = 0x01;
  static final byte BYTES = 0x02;
  static final byte LONG = 0x03;
  static final byte INTEGER = 0x04;
  static final byte SERIALIZED = 0x05;
  static final byte STRING_UTF16 = 0x06;

  private final WeakReference<ClassLoader> classLoader;
  private final ObjectInputFilter filter;

  /**
   * @param classLoader the loader that resolves the classes of deserialised values
   * @param filter the filter every deserialisation goes through
   */
  public TaggedCodec(ClassLoader classLoader, ObjectInputFilter filter) {
    this.classLoader = new WeakReference<>(classLoader);
    this.filter = filter;
  }

  @Override
  public byte[] encode(Object value) {
    if (value instanceof String text) {
      return encodeString(text);
    }
    if (value instanceof byte[] bytes) {
      byte[] out = new byte[bytes.length + 1];
      out[0] = BYTES;
      System.arraycopy(bytes, 0, out, 1, bytes.length);
      return out;
    }
    if (value instanceof Long number) {
      long v = number;
      byte[] out = new byte[9];
      out[0] = LONG;
      for (int i = 8; i >= 1; i--) {
        out[i] = (byte) v;
        v >>>= 8;
      }
      return out;
    }
    if (value instanceof Integer number) {
      int v = number;
      return new byte[] {INTEGER, (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
    return serialize(value);
  }

  @Override
  public Object decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("cannot decode an empty value: no type tag");
    }
    switch (bytes[0]) {
      case STRING:
        return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
      case BYTES: {
        byte[] out = new byte[bytes.length - 1];
        System.arraycopy(bytes, 1, out, 0, out.length);
        return out;
      }
      case LONG: {
        checkLength(bytes, 9, "Long");
        long v = 0;
        for (int i = 1; i < 9; i++) {
          v = (v << 8) | (bytes[i] & 0xff);
        }
        return v;
      }
      case INTEGER:
        checkLength(bytes, 5, "Integer");
        return ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
      case SERIALIZED:
        return deserialize(bytes);
      case STRING_UTF16: {
        if (bytes.length % 2 != 1) {
          throw new IllegalArgumentException("a tagged UTF-16 string needs an even number of payload bytes, got " + (bytes.length - 1));
        }
        char[] chars = new char[(bytes.length - 1) / 2];
        for (int i = 0; i < chars.length; i++) {
          chars[i] = (char) (((bytes[1 + 2 * i] & 0xff) << 8) | (bytes[2 + 2 * i] & 0xff));
        }
        return new String(chars);
      }
      default:
        throw new IllegalArgumentException("cannot decode a value with unknown type tag 0x" + Integer.toHexString(bytes[0] & 0xff));
    }
  }

  private static void checkLength(byte[] bytes, int expected, String type) {
    if (bytes.length != expected) {
      throw new IllegalArgumentException("a tagged " + type + " needs " + expected + " bytes, got " + bytes.length);
    }
  }

  /**
   * UTF-8 with the tag in front. An ASCII string (found by OR-ing its chars, a loop without
   * branches) is its chars' low bytes, copied by the JDK's own (intrinsic) narrowing copy into the
   * tagged array: one allocation, no per-char branch.
   */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) is exactly the low-byte copy needed here
  private static byte[] encodeString(String text) {
    int n = text.length();
    int all = 0;
    for (int i = 0; i < n; i++) {
      all |= text.charAt(i);
    }
    if (all >= 0x80) {
      return encodeNonAscii(text);
    }
    byte[] out = new byte[n + 1];
    out[0] = STRING;
    text.getBytes(0, n, out, 1);
    return out;
  }

  /**
   * {@link #encode} of a short ASCII string (at most {@code Bytes.INLINE_MAX - 1} chars) straight
   * into the words of an inline {@link Bytes}, without an array; {@code null} for any other string.
   * The same bytes as {@code Bytes.of(encode(text))}.
   */
  static @Nullable Bytes encodeShortAscii(String text) {
    int n = text.length();
    if (n >= Bytes.INLINE_MAX) {
      return null;
    }
    long w0 = STRING;
    long w1 = 0;
    int all = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      all |= c;
      int at = i + 1;
      if (at < 8) {
        w0 |= (long) (c & 0xff) << (at << 3);
      } else {
        w1 |= (long) (c & 0xff) << ((at - 8) << 3);
      }
    }
    return all >= 0x80 ? null : Bytes.ofWords(w0, w1, n + 1);
  }

  private static byte[] encodeNonAscii(String text) {
    boolean unpaired = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        unpaired = true;
        break;
      }
    }
    if (unpaired) {
      // the JDK's UTF-16 encoder would replace an unpaired surrogate too: write the chars as they are
      byte[] out = new byte[1 + 2 * text.length()];
      out[0] = STRING_UTF16;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        out[1 + 2 * i] = (byte) (c >>> 8);
        out[2 + 2 * i] = (byte) c;
      }
      return out;
    }
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[payload.length + 1];
    out[0] = STRING;
    System.arraycopy(payload, 0, out, 1, payload.length);
    return out;
  }

  private static byte[] serialize(Object value) {
    if (!(value instanceof Serializable)) {
      throw new IllegalArgumentException("a value of class " + value.getClass().getName()
          + " is neither String, byte[], Long, Integer nor java.io.Serializable");
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
    buffer.write(SERIALIZED);
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(value);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("a value of class " + value.getClass().getName() + " cannot be serialised: " + e, e);
    }
    return buffer.toByteArray();
  }

  private Object deserialize(byte[] bytes) {
    ClassLoader loader = classLoader.get();
    if (loader == null) {
      loader = TaggedCodec.class.getClassLoader();
    }
    String[] rejected = new String[1];
    try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1), loader)) {
      in.setObjectInputFilter(info -> {
        ObjectInputFilter.Status status = filter.checkInput(info);
        if (status == ObjectInputFilter.Status.REJECTED && rejected[0] == null) {
          rejected[0] = describe(info);
        }
        return status;
      });
      return in.readObject();
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      if (rejected[0] != null) {
        throw new IllegalArgumentException("cannot deserialise a stored value: " + rejected[0] + " is rejected by the "
            + "deserialization filter " + filter + " (RingstoreConfiguration.setDeserializationFilter sets its allow-list)", e);
      }
      throw new IllegalArgumentException("cannot deserialise a stored value (" + bytes.length + " bytes): " + e, e);
    }
  }

  /** What a rejected filter check was about, for the error message. */
  private static String describe(ObjectInputFilter.FilterInfo info) {
    Class<?> type = info.serialClass();
    if (type != null) {
      return "class " + type.getName();
    }
    return "a stream of depth " + info.depth() + ", " + info.references() + " references and array length " + info.arrayLength();
  }

  /** Resolves classes through a given loader rather than the caller's. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(description.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(description);
      }
    }
  }

  @Override
  public String toString() {
    return "TaggedCodec[" + filter + "]";
  }
}
