package io.ringstore.spi;

/**
 * Turns a user's key or value into bytes and back. A cache has one codec for keys and one for
 * values; below the codec, Ringstore sees only bytes.
 *
 * <p>Contract: {@code decode(encode(x))} equals {@code x}; {@code encode} never returns
 * {@code null} and never keeps a reference to the returned array; {@code decode} must not modify
 * its argument. Errors: {@code encode} throws {@link IllegalArgumentException} naming the class
 * of a value it cannot encode; {@code decode} throws {@link IllegalArgumentException} for bytes it
 * cannot read.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 *
 * @param <T> the user's type
 */
public interface Codec<T> {

  /** The bytes of {@code value}, which is never {@code null}. */
  byte[] encode(T value);

  /** The value whose bytes are {@code bytes}. */
  T decode(byte[] bytes);
}
