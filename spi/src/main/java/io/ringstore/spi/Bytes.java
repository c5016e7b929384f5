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
 * <p>Invariants: the wrapped array is never modified after construction; {@link #hashCode()} is a
 * function of the content only, computed on first use (values are stored and copied but never
 * hashed, so they never pay for it) and then kept. {@link #of(byte[])} takes ownership of the
 * array it is given (the caller must not change it afterwards); {@link #copyOf(byte[])} copies.
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
public final class Bytes implements Comparable<Bytes> {

  /** The empty run. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] bytes;
  private int hash; // 0 until computed; a benign race: every thread computes the same value
  private @Nullable Object decoded; // see decoded(); written racily, read racily

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps {@code bytes} without copying; the caller hands over ownership of the array. */
  public static Bytes of(byte[] bytes) {
    return new Bytes(bytes);
  }

  /** Wraps a copy of {@code bytes}. */
  public static Bytes copyOf(byte[] bytes) {
    return new Bytes(bytes.clone());
  }

  /** The UTF-8 bytes of {@code text}. */
  public static Bytes utf8(String text) {
    return new Bytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The object the layer above remembered as what these bytes stand for ({@link #rememberDecoded}),
   * or {@code null}. Only ever a hint: a caller that finds {@code null} decodes the bytes itself.
   */
  public @Nullable Object decoded() {
    return decoded;
  }

  /**
   * Remembers {@code value} as what these bytes decode to. The caller guarantees that decoding the
   * bytes gives an object equal to {@code value}, and that {@code value} is immutable (see the class
   * comment on thread-safety).
   */
  public void rememberDecoded(Object value) {
    decoded = value;
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** The byte at {@code index}. */
  public byte at(int index) {
    return bytes[index];
  }

  /** A fresh copy of the content. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /**
   * The wrapped array itself, for read-only use on hot paths (decoding, hashing, writing to a
   * stream). Callers must never modify it.
   */
  public byte[] unsafeArray() {
    return bytes;
  }

  /** The content read as UTF-8 text. */
  public String asUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * A 32-bit hash of the content, eight bytes at a time with a final avalanche, so that short keys
   * spread well across hash-table bins. Never 0 (0 marks "not computed").
   */
  private static int hash(byte[] bytes) {
    long h = 0x9e3779b97f4a7c15L ^ bytes.length;
    int i = 0;
    for (int end = bytes.length - 7; i < end; i += 8) {
      h = Long.rotateLeft(h ^ (long) LONGS.get(bytes, i), 31) * 0x87c37b91114253d5L;
    }
    long tail = 0;
    for (; i < bytes.length; i++) {
      tail = (tail << 8) | (bytes[i] & 0xff);
    }
    h = (h ^ tail) * 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    int folded = (int) (h ^ (h >>> 32));
    return folded == 0 ? 1 : folded;
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof Bytes that && Arrays.equals(bytes, that.bytes));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = hash(bytes);
      hash = h;
    }
    return h;
  }

  /** Unsigned lexicographic order, the order of keys in sorted engines. */
  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  /** Hex of at most the first 32 bytes; never prints a value in full. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(bytes.length * 2 + 16).append("Bytes[").append(bytes.length).append("]0x");
    int shown = Math.min(bytes.length, 32);
    for (int i = 0; i < shown; i++) {
      text.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
    }
    return bytes.length > shown ? text.append("...").toString() : text.toString();
  }
}
