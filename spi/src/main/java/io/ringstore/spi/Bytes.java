package io.ringstore.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable run of bytes with content equality: a key or a value as the storage and cluster
 * layers see it.
 *
 * <p>Invariants: the wrapped array is never modified after construction; {@link #hashCode()} is a
 * function of the content only and is computed once. {@link #of(byte[])} takes ownership of the
 * array it is given (the caller must not change it afterwards); {@link #copyOf(byte[])} copies.
 *
 * <p>Thread-safety: immutable.
 */
public final class Bytes implements Comparable<Bytes> {

  /** The empty run. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;
  private final int hash;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
    this.hash = hash(bytes);
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

  private static int hash(byte[] bytes) {
    // FNV-1a over the content, folded with a final avalanche so that short keys spread well
    // across hash-table bins.
    int h = 0x811c9dc5;
    for (byte b : bytes) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof Bytes that && hash == that.hash && Arrays.equals(bytes, that.bytes));
  }

  @Override
  public int hashCode() {
    return hash;
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
