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
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      // getBytes writes '?' for a lone surrogate, which would give two different strings the same
      // bytes (and so the same cache key); such a string has no UTF-8 form, so refuse it.
      for (byte b : bytes) {
        if (b == '?') {
          checkWellFormed(value);
          break;
        }
      }
      return bytes;
    }

    private void checkWellFormed(String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw new IllegalArgumentException(String.format(
              "Codecs.UTF8 cannot encode this java.lang.String: lone surrogate U+%04X at index %d of %d; it has no UTF-8 form",
              (int) c, i, value.length()));
        }
      }
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
