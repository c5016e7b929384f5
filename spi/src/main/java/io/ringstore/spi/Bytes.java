package io.ringstore.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An immutable run of bytes with content equality: a key or a value as the storage and cluster
 * layers see it.
 *
 * <p>Invariants: the content never changes after construction; {@link #hashCode()} is a function
 * of the content only, computed on first use (values are stored and copied but never hashed, so
 * they never pay for it) and then kept. {@link #of(byte[])} takes ownership of the array it is
 * given (the caller must not change it afterwards); {@link #copyOf(byte[])} copies.
 *
 * <p>Layout: a run of at most {@value #INLINE_MAX} bytes (most keys) is held in two {@code long}
 * fields of the object itself rather than in an array, so that a hash-table look-up compares a
 * stored key without following a pointer to its array: one cache miss less per read of a cold
 * key, and one object less per stored key. Longer runs wrap their array. Which form a run takes
 * depends on its length only, so equal contents always have the same form. The two forms are two
 * private subclasses, so a long run's object carries no unused inline words.
 *
 * <p>A {@code Bytes} also has one memo slot, {@link #decoded()}, where the layer that encoded or
 * decoded the bytes may keep the immutable object they stand for, so that a reader of the same
 * stored instance need not decode again. The slot is not part of the value: equality, hashing,
 * ordering and every copy ignore it, and it never leaves the process. Storage and cluster code
 * never read it.
 *
 * <p>Thread-safety: the content is immutable. The memo slot is written and read without
 * synchronisation; only objects that are safe to publish that way (immutable objects whose state
 * is in final fields, such as {@code String}, {@code Long}, {@code Integer}) may be put in it.
 */
public abstract sealed class Bytes implements Comparable<Bytes> {

  /** The longest run held inline, in the object's own fields. */
  public static final int INLINE_MAX = 16;

  /** The empty run. */
  public static final Bytes EMPTY = new Inline(0, 0, 0);

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte[] NO_BYTES = new byte[0];

  private int hash; // 0 until computed; a benign race: every thread computes the same value
  private @Nullable Object decoded; // see decoded(); written racily, read racily

  private Bytes() {}

  /** Wraps {@code bytes} without copying; the caller hands over ownership of the array. */
  public static Bytes of(byte[] bytes) {
    int n = bytes.length;
    return n > INLINE_MAX ? new Wrapped(bytes) : new Inline(word(bytes, 0, n), word(bytes, 8, n), n);
  }

  /** Wraps a copy of {@code bytes}. */
  public static Bytes copyOf(byte[] bytes) {
    return of(bytes.length > INLINE_MAX ? bytes.clone() : bytes);
  }

  /** The UTF-8 bytes of {@code text}. */
  public static Bytes utf8(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The run of {@code length} bytes (at most {@link #INLINE_MAX}) given as two little-endian words:
   * byte {@code i} is bits {@code 8 * (i % 8)} up of {@code w0} for {@code i < 8}, of {@code w1}
   * after. For encoders of short keys, which so make no array at all.
   *
   * @throws IllegalArgumentException if {@code length} is outside {@code [0, 16]} or a word has a
   *     bit set past {@code length}
   */
  public static Bytes ofWords(long w0, long w1, int length) {
    if (length < 0 || length > INLINE_MAX) {
      throw new IllegalArgumentException("length = " + length + " is out of range; need 0 <= length <= " + INLINE_MAX);
    }
    if ((w0 & ~mask(length)) != 0 || (w1 & ~mask(length - 8)) != 0) {
      throw new IllegalArgumentException("words 0x" + Long.toHexString(w0) + ", 0x" + Long.toHexString(w1)
          + " have bits set past the length " + length);
    }
    return new Inline(w0, w1, length);
  }

  /** The bits of a word that hold its first {@code n} bytes (all for n >= 8, none for n <= 0). */
  private static long mask(int n) {
    return n >= 8 ? -1L : n <= 0 ? 0L : (1L << (n << 3)) - 1;
  }

  /** Bytes {@code from .. from+7} of {@code content} (those below {@code n}) as a little-endian long. */
  private static long word(byte[] content, int from, int n) {
    if (from + 8 <= n) {
      return (long) LONGS.get(content, from);
    }
    long w = 0;
    for (int i = Math.min(n, from + 8) - 1; i >= from; i--) {
      w = (w << 8) | (content[i] & 0xff);
    }
    return w;
  }

  /**
   * The object the layer above remembered as what these bytes stand for ({@link #rememberDecoded}),
   * or {@code null}. Only ever a hint: a caller that finds {@code null} decodes the bytes itself.
   */
  public final @Nullable Object decoded() {
    return decoded;
  }

  /**
   * Remembers {@code value} as what these bytes decode to. The caller guarantees that decoding the
   * bytes gives an object equal to {@code value}, and that {@code value} is immutable (see the class
   * comment on thread-safety).
   */
  public final void rememberDecoded(Object value) {
    decoded = value;
  }

  /** The number of bytes. */
  public abstract int length();

  /** The byte at {@code index}. */
  public abstract byte at(int index);

  /** A fresh copy of the content. */
  public abstract byte[] toByteArray();

  /**
   * The content as an array, for read-only use on hot paths (decoding, hashing, writing to a
   * stream): the wrapped array itself for a run longer than {@link #INLINE_MAX}, a fresh array for
   * a shorter one. Callers must never modify it.
   */
  public abstract byte[] unsafeArray();

  /** The content read as UTF-8 text. */
  public final String asUtf8() {
    return new String(unsafeArray(), StandardCharsets.UTF_8);
  }

  /** The hash of the content (never 0), computed by {@link #hashCode()} once. */
  abstract int contentHash();

  @Override
  public final int hashCode() {
    int h = hash;
    if (h == 0) {
      h = contentHash();
      hash = h;
    }
    return h;
  }

  /** Equality of content; a run's form depends on its length only, so other forms are never equal. */
  @Override
  public abstract boolean equals(Object other);

  /** Unsigned lexicographic order, the order of keys in sorted engines. */
  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(unsafeArray(), other.unsafeArray());
  }

  /** Hex of at most the first 32 bytes; never prints a value in full. */
  @Override
  public final String toString() {
    int length = length();
    StringBuilder text = new StringBuilder(length * 2 + 16).append("Bytes[").append(length).append("]0x");
    int shown = Math.min(length, 32);
    for (int i = 0; i < shown; i++) {
      byte b = at(i);
      text.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return length > shown ? text.append("...").toString() : text.toString();
  }

  /**
   * The avalanche that ends both forms' hashes, so that short keys spread well across hash-table
   * bins; never 0 (0 marks "not computed").
   */
  private static int finish(long mixed) {
    long h = mixed * 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    int folded = (int) (h ^ (h >>> 32));
    return folded == 0 ? 1 : folded;
  }

  /** A run of at most {@link #INLINE_MAX} bytes in two words, little-endian, zero past the length. */
  private static final class Inline extends Bytes {
    private final long w0; // bytes 0-7
    private final long w1; // bytes 8-15
    private final int length;

    Inline(long w0, long w1, int length) {
      this.w0 = w0;
      this.w1 = w1;
      this.length = length;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public byte at(int index) {
      if (index < 0 || index >= length) {
        throw new IndexOutOfBoundsException("index " + index + " out of a run of " + length + " bytes");
      }
      return (byte) ((index < 8 ? w0 : w1) >>> ((index & 7) << 3));
    }

    @Override
    public byte[] toByteArray() {
      byte[] out = new byte[length];
      for (int i = 0; i < length; i++) {
        out[i] = (byte) ((i < 8 ? w0 : w1) >>> ((i & 7) << 3));
      }
      return out;
    }

    @Override
    public byte[] unsafeArray() {
      return length == 0 ? NO_BYTES : toByteArray();
    }

    @Override
    int contentHash() {
      return finish(Long.rotateLeft(0x9e3779b97f4a7c15L ^ length ^ w0, 31) * 0x87c37b91114253d5L ^ w1);
    }

    @Override
    public boolean equals(Object other) {
      return this == other || (other instanceof Inline that && w0 == that.w0 && w1 == that.w1 && length == that.length);
    }

    @Override
    public int compareTo(Bytes other) {
      if (!(other instanceof Inline that)) {
        return super.compareTo(other);
      }
      // big-endian words compare as the bytes do; ties of the zero padding are settled by length
      int byFirst = Long.compareUnsigned(Long.reverseBytes(w0), Long.reverseBytes(that.w0));
      if (byFirst != 0) {
        return byFirst;
      }
      int bySecond = Long.compareUnsigned(Long.reverseBytes(w1), Long.reverseBytes(that.w1));
      return bySecond != 0 ? bySecond : Integer.compare(length, that.length);
    }
  }

  /** A run longer than {@link #INLINE_MAX} bytes, in an array it owns. */
  private static final class Wrapped extends Bytes {
    private final byte[] bytes;

    Wrapped(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int length() {
      return bytes.length;
    }

    @Override
    public byte at(int index) {
      return bytes[index];
    }

    @Override
    public byte[] toByteArray() {
      return bytes.clone();
    }

    @Override
    public byte[] unsafeArray() {
      return bytes;
    }

    /** Eight bytes at a time, then the tail. */
    @Override
    int contentHash() {
      long h = 0x9e3779b97f4a7c15L ^ bytes.length;
      int i = 0;
      for (int end = bytes.length - 7; i < end; i += 8) {
        h = Long.rotateLeft(h ^ (long) LONGS.get(bytes, i), 31) * 0x87c37b91114253d5L;
      }
      long tail = 0;
      for (; i < bytes.length; i++) {
        tail = (tail << 8) | (bytes[i] & 0xff);
      }
      return finish(h ^ tail);
    }

    @Override
    public boolean equals(Object other) {
      return this == other || (other instanceof Wrapped that && Arrays.equals(bytes, that.bytes));
    }
  }
}
