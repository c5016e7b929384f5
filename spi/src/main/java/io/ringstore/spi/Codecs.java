package io.ringstore.spi;

import java.nio.charset.StandardCharsets;

/**
 * The built-in codecs for types whose bytes need no framework: text as UTF-8, byte arrays as
 * themselves, integers as big-endian two's complement.
 *
 * <p>Thread-safety: every codec here is stateless and thread-safe.
 */
public final class Codecs {
  private Codecs() {}

  /** {@link String} as UTF-8. */
  public static final Codec<String> UTF8 = new Codec<>() {
    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "Codecs.UTF8";
    }
  };

  /** {@code byte[]} as itself, copied both ways so that callers never share an array with the store. */
  public static final Codec<byte[]> BYTE_ARRAY = new Codec<>() {
    @Override
    public byte[] encode(byte[] value) {
      return value.clone();
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return "Codecs.BYTE_ARRAY";
    }
  };

  /** {@link Long} as 8 big-endian bytes. */
  public static final Codec<Long> LONG = new Codec<>() {
    @Override
    public byte[] encode(Long value) {
      long v = value;
      byte[] b = new byte[8];
      for (int i = 7; i >= 0; i--) {
        b[i] = (byte) v;
        v >>>= 8;
      }
      return b;
    }

    @Override
    public Long decode(byte[] bytes) {
      if (bytes.length != 8) {
        throw new IllegalArgumentException("a Long needs 8 bytes, got " + bytes.length);
      }
      long v = 0;
      for (byte b : bytes) {
        v = (v << 8) | (b & 0xff);
      }
      return v;
    }

    @Override
    public String toString() {
      return "Codecs.LONG";
    }
  };

  /** {@link Integer} as 4 big-endian bytes. */
  public static final Codec<Integer> INTEGER = new Codec<>() {
    @Override
    public byte[] encode(Integer value) {
      int v = value;
      return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    @Override
    public Integer decode(byte[] bytes) {
      if (bytes.length != 4) {
        throw new IllegalArgumentException("an Integer needs 4 bytes, got " + bytes.length);
      }
      return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    }

    @Override
    public String toString() {
      return "Codecs.INTEGER";
    }
  };
}
